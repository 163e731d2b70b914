/**
 * Reading rules back from `iptables -S`: a printed rule is the argument list that made
 * it, with values that contain spaces in double quotes. Splitting it back into arguments
 * lets the plugin delete a rule by repeating it with -D.
 */

/** Splits one line of `iptables -S` output into arguments, unquoting "quoted values". */
export function splitRuleLine(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inArgument = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '\\' && i + 1 < line.length) current += line[++i];
      else if (char === '"') quoted = false;
      else current += char;
    } else if (char === '"') {
      quoted = true;
      inArgument = true;
    } else if (char === ' ' || char === '\t') {
      if (inArgument) args.push(current);
      current = '';
      inArgument = false;
    } else {
      current += char;
      inArgument = true;
    }
  }
  if (inArgument) args.push(current);
  return args;
}

/** The value of `--comment` in a rule's arguments, if it has one. */
export function commentOf(args: readonly string[]): string | undefined {
  const index = args.indexOf('--comment');
  return index >= 0 ? args[index + 1] : undefined;
}

/** The chain or target a rule jumps to (`-j`), if it names one. */
export function targetOf(args: readonly string[]): string | undefined {
  const index = args.indexOf('-j');
  return index >= 0 ? args[index + 1] : undefined;
}
