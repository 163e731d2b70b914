/**
 * Kubernetes' $(VAR) expansion (third_party/forked/golang/expansion), used for env values,
 * command and args: `$(NAME)` becomes the variable's value when it is defined and stays as
 * written when not; `$$` is an escaped `$`; any other `$` is kept.
 */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    const { text, isVariable, advance } = readVariableName(rest);
    if (isVariable) {
      const value = lookup(text);
      out += value ?? `$(${text})`;
    } else {
      out += text;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

function readVariableName(input: string): { text: string; isVariable: boolean; advance: number } {
  if (input[0] === '$') return { text: '$', isVariable: false, advance: 1 };
  if (input[0] === '(') {
    const close = input.indexOf(')', 1);
    if (close === -1) return { text: '$(', isVariable: false, advance: 1 };
    return { text: input.slice(1, close), isVariable: true, advance: close + 1 };
  }
  return { text: `$${input[0] ?? ''}`, isVariable: false, advance: 1 };
}
