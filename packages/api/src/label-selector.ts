/**
 * Label selectors as apimachinery has them: the string syntax of `?labelSelector=` and
 * `kubectl -l` (labels.Parse), the structured `LabelSelector` of specs
 * (metav1.LabelSelectorAsSelector) and its validation. Error messages are Kubernetes' own,
 * quirks included (a parse error names the key's field path "<nil>").
 */
import { fieldCause, StatusError } from './errors.js';
import type { LabelSelector, StatusCause } from './types.js';

export interface Selector {
  matches(labels: Record<string, string> | undefined): boolean;
  /** True when the selector does not restrict anything (it matches every object). */
  empty(): boolean;
  toString(): string;
}

/** apimachinery's selection.Operator values. */
type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

const BINARY_OPERATORS: readonly LabelOperator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

interface Requirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

class RequirementsSelector implements Selector {
  constructor(private readonly requirements: readonly Requirement[]) {}

  matches(labels: Record<string, string> | undefined): boolean {
    return this.requirements.every((r) => requirementMatches(r, labels ?? {}));
  }

  empty(): boolean {
    return this.requirements.length === 0;
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

const NOTHING: Selector = {
  matches: () => false,
  empty: () => false,
  toString: () => '',
};

export function everything(): Selector {
  return new RequirementsSelector([]);
}

export function nothing(): Selector {
  return NOTHING;
}

/**
 * Parses the string form: `a=b,c in (x,y),!d,e!=f,g,h notin (i)`, also `==`, `>` and `<`.
 * Throws StatusError BadRequest with apimachinery's message.
 */
export function parseLabelSelector(text: string): Selector {
  const parser = new SelectorParser(text);
  return selectorOf(parser.parse());
}

/**
 * The selector of a structured LabelSelector: null/undefined selects nothing, an empty one
 * everything. Throws StatusError BadRequest when a key, value or operator is invalid.
 */
export function labelSelectorToSelector(selector: LabelSelector | null | undefined): Selector {
  if (selector === null || selector === undefined) return nothing();
  const matchLabels = Object.entries(selector.matchLabels ?? {});
  const matchExpressions = selector.matchExpressions ?? [];
  if (matchLabels.length + matchExpressions.length === 0) return everything();

  const requirements: Requirement[] = [];
  for (const [key, value] of matchLabels) requirements.push(newRequirement(key, '=', [value]));
  for (const expression of matchExpressions) {
    const operator = EXPRESSION_OPERATORS.get(expression.operator);
    if (operator === undefined) {
      throw StatusError.badRequest(`${quoted(expression.operator)} is not a valid label selector operator`);
    }
    requirements.push(newRequirement(expression.key, operator, [...(expression.values ?? [])]));
  }
  return selectorOf(requirements);
}

const EXPRESSION_OPERATORS: ReadonlyMap<string, LabelOperator> = new Map([
  ['In', 'in'],
  ['NotIn', 'notin'],
  ['Exists', 'exists'],
  ['DoesNotExist', '!'],
]);

/** metav1validation.ValidateLabelSelector: the causes for an invalid selector at `path`. */
export function validateLabelSelector(selector: LabelSelector | undefined, path: string): StatusCause[] {
  if (!selector) return [];
  const causes: StatusCause[] = [];
  const labelsPath = `${path}.matchLabels`;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    for (const message of qualifiedNameErrors(key)) causes.push(invalidCause(labelsPath, key, message));
    for (const message of labelValueErrors(value)) causes.push(invalidCause(labelsPath, value, message));
  }
  (selector.matchExpressions ?? []).forEach((expression, index) => {
    const at = `${path}.matchExpressions[${index}]`;
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) {
          causes.push(
            fieldCause(
              'FieldValueRequired',
              `${at}.values`,
              "Required value: must be specified when `operator` is 'In' or 'NotIn'",
            ),
          );
        }
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          causes.push(
            fieldCause(
              'FieldValueForbidden',
              `${at}.values`,
              "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            ),
          );
        }
        break;
      default:
        causes.push(invalidCause(`${at}.operator`, expression.operator, 'not a valid selector operator'));
    }
    for (const message of qualifiedNameErrors(expression.key))
      causes.push(invalidCause(`${at}.key`, expression.key, message));
    values.forEach((value, valueIndex) => {
      for (const message of labelValueErrors(value))
        causes.push(invalidCause(`${at}.values[${valueIndex}]`, value, message));
    });
  });
  return causes;
}

/** A label key: an optional DNS-1123 subdomain prefix and "/", then a name of at most 63 characters. */
export function isQualifiedName(key: string): boolean {
  return qualifiedNameErrors(key).length === 0;
}

/** A label value: empty, or at most 63 characters of [A-Za-z0-9_.-] starting and ending alphanumeric. */
export function isValidLabelValue(value: string): boolean {
  return labelValueErrors(value).length === 0;
}

// ---- Syntax of keys and values (apimachinery util/validation) ----

const QUALIFIED_NAME_FORMAT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_PATTERN = new RegExp(`^${QUALIFIED_NAME_FORMAT}$`);
const QUALIFIED_NAME_MESSAGE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_MAX_LENGTH = 63;
const DNS1123_LABEL_FORMAT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FORMAT = `${DNS1123_LABEL_FORMAT}(\\.${DNS1123_LABEL_FORMAT})*`;
const DNS1123_SUBDOMAIN_PATTERN = new RegExp(`^${DNS1123_SUBDOMAIN_FORMAT}$`);
const DNS1123_SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
const LABEL_VALUE_FORMAT = `(${QUALIFIED_NAME_FORMAT})?`;
const LABEL_VALUE_PATTERN = new RegExp(`^${LABEL_VALUE_FORMAT}$`);
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MAX_LENGTH = 63;

/** apimachinery's RegexError, double spaces before "or" included. */
function regexError(message: string, format: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${format}')`;
  const shown = examples.map((example, i) => `${i > 0 ? ' or ' : ''}'${example}', `).join('');
  return `${message} (e.g. ${shown}regex used for validation is '${format}')`;
}

function maxLengthError(length: number): string {
  return `must be no more than ${length} characters`;
}

function qualifiedNameErrors(value: string): string[] {
  // Selectors may be checked before the object's types are (a key missing on the wire).
  if (typeof value !== 'string') return ['must be a string'];
  const errors: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = value;
  } else if (parts.length === 2) {
    const [prefix = '', rest = ''] = parts;
    name = rest;
    if (prefix.length === 0) errors.push('prefix part must be non-empty');
    else errors.push(...dns1123SubdomainErrors(prefix).map((message) => `prefix part ${message}`));
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MESSAGE, QUALIFIED_NAME_FORMAT, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errors.push('name part must be non-empty');
  else if (name.length > QUALIFIED_NAME_MAX_LENGTH)
    errors.push(`name part ${maxLengthError(QUALIFIED_NAME_MAX_LENGTH)}`);
  if (!QUALIFIED_NAME_PATTERN.test(name)) {
    errors.push(
      `name part ${regexError(QUALIFIED_NAME_MESSAGE, QUALIFIED_NAME_FORMAT, 'MyName', 'my.name', '123-abc')}`,
    );
  }
  return errors;
}

function dns1123SubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errors.push(maxLengthError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!DNS1123_SUBDOMAIN_PATTERN.test(value)) {
    errors.push(regexError(DNS1123_SUBDOMAIN_MESSAGE, DNS1123_SUBDOMAIN_FORMAT, 'example.com'));
  }
  return errors;
}

function labelValueErrors(value: string): string[] {
  if (typeof value !== 'string') return ['must be a string'];
  const errors: string[] = [];
  if (value.length > LABEL_VALUE_MAX_LENGTH) errors.push(maxLengthError(LABEL_VALUE_MAX_LENGTH));
  if (!LABEL_VALUE_PATTERN.test(value)) {
    errors.push(regexError(LABEL_VALUE_MESSAGE, LABEL_VALUE_FORMAT, 'MyValue', 'my_value', '12345'));
  }
  return errors;
}

// ---- Requirements ----

/** A field.Error message: "<path>: Invalid value: <value>: <detail>". */
class FieldErrors {
  private readonly messages: string[] = [];

  invalid(path: string, value: string | string[], detail: string): void {
    this.messages.push(`${path}: Invalid value: ${goValue(value)}: ${detail}`);
  }

  /** Throws the list as utilerrors.Aggregate prints it: one message, or "[a, b]" deduplicated. */
  throwIfAny(): void {
    const unique = [...new Set(this.messages)];
    if (unique.length === 0) return;
    const [only] = unique;
    throw StatusError.badRequest(unique.length === 1 && only !== undefined ? only : `[${unique.join(', ')}]`);
  }
}

/** How Go's field errors print a string (%q) or a []string (%#v). */
function goValue(value: string | string[]): string {
  if (!Array.isArray(value)) return quoted(value);
  if (value.length === 0) return '[]string(nil)';
  return `[]string{${value.map(quoted).join(', ')}}`;
}

/** A value in a message; input that skipped type checks may be missing (Go prints nil as null). */
function quoted(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

/**
 * labels.NewRequirement, called as Kubernetes does without a field path: the fields print as
 * "key" and "values[0]".
 */
function newRequirement(key: string, operator: LabelOperator, values: string[]): Requirement {
  const errors = new FieldErrors();
  const keyErrors = qualifiedNameErrors(key);
  if (keyErrors.length > 0) errors.invalid('key', key, keyErrors.join('; '));
  const valuesPath = 'values';
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0)
        errors.invalid(valuesPath, values, "for 'in', 'notin' operators, values set can't be empty");
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1)
        errors.invalid(valuesPath, values, 'exact-match compatibility requires one single value');
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) {
        errors.invalid(valuesPath, values, 'values set must be empty for exists and does not exist');
      }
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) {
        errors.invalid(valuesPath, values, "for 'Gt', 'Lt' operators, exactly one value is required");
      }
      values.forEach((value, i) => {
        if (parseInt64(value) === undefined) {
          errors.invalid(`${valuesPath}[${i}]`, value, "for 'Gt', 'Lt' operators, the value must be an integer");
        }
      });
      break;
  }
  values.forEach((value, i) => {
    const valueErrors = labelValueErrors(value);
    if (valueErrors.length > 0) errors.invalid(`${valuesPath}[${i}][${key}]`, value, valueErrors.join('; '));
  });
  errors.throwIfAny();
  return { key, operator, values };
}

function requirementMatches(requirement: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, requirement.key);
  const value = has ? labels[requirement.key] : undefined;
  switch (requirement.operator) {
    case 'in':
    case '=':
    case '==':
      return value !== undefined && requirement.values.includes(value);
    case 'notin':
    case '!=':
      return value === undefined || !requirement.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      const actual = value === undefined ? undefined : parseInt64(value);
      const bound = requirement.values.length === 1 ? parseInt64(requirement.values[0] ?? '') : undefined;
      if (actual === undefined || bound === undefined) return false;
      return requirement.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

/** Requirement.String(): values sorted, set operators in parentheses. */
function requirementString(requirement: Requirement): string {
  const { key, operator } = requirement;
  if (operator === 'exists') return key;
  if (operator === '!') return `!${key}`;
  const values = [...requirement.values].sort().join(',');
  switch (operator) {
    case 'in':
      return `${key} in (${values})`;
    case 'notin':
      return `${key} notin (${values})`;
    case 'gt':
      return `${key}>${values}`;
    case 'lt':
      return `${key}<${values}`;
    default:
      return `${key}${operator}${values}`;
  }
}

/** Requirements sorted by key, as Selector.Add does, for a deterministic string form. */
function selectorOf(requirements: Requirement[]): Selector {
  const sorted = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return new RequirementsSelector(sorted);
}

/** strconv.ParseInt(s, 10, 64). */
function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = BigInt(text);
  if (value > 9223372036854775807n || value < -9223372036854775808n) return undefined;
  return value;
}

// ---- The string syntax: lexer and parser of labels.Parse ----

type TokenKind =
  | 'end'
  | 'closePar'
  | 'comma'
  | 'doesNotExist'
  | 'doubleEquals'
  | 'equals'
  | 'greaterThan'
  | 'identifier'
  | 'in'
  | 'lessThan'
  | 'notEquals'
  | 'notIn'
  | 'openPar';

interface Token {
  kind: TokenKind;
  literal: string;
}

const LITERAL_TOKENS: ReadonlyMap<string, TokenKind> = new Map([
  [')', 'closePar'],
  [',', 'comma'],
  ['!', 'doesNotExist'],
  ['==', 'doubleEquals'],
  ['=', 'equals'],
  ['>', 'greaterThan'],
  ['in', 'in'],
  ['<', 'lessThan'],
  ['!=', 'notEquals'],
  ['notin', 'notIn'],
  ['(', 'openPar'],
]);

const isWhitespace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string) => '=!(),><'.includes(ch);

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && isWhitespace(text[pos] ?? '')) pos++;
    if (pos >= text.length) {
      tokens.push({ kind: 'end', literal: '' });
      return tokens;
    }
    const start = pos;
    if (isSpecialSymbol(text[pos] ?? '')) {
      // The longest run of special symbols that is still a token ("!=" rather than "!").
      let matched: Token | undefined;
      while (pos < text.length && isSpecialSymbol(text[pos] ?? '')) {
        const candidate = text.slice(start, pos + 1);
        const kind = LITERAL_TOKENS.get(candidate);
        if (kind !== undefined) matched = { kind, literal: candidate };
        else if (matched) break;
        pos++;
      }
      // Every special symbol is a token on its own, so `matched` is always set here.
      if (matched) {
        tokens.push(matched);
        pos = start + matched.literal.length;
      }
      continue;
    }
    while (pos < text.length && !isSpecialSymbol(text[pos] ?? '') && !isWhitespace(text[pos] ?? '')) pos++;
    const literal = text.slice(start, pos);
    tokens.push({ kind: LITERAL_TOKENS.get(literal) ?? 'identifier', literal });
  }
}

class SelectorParser {
  private readonly tokens: Token[];
  private position = 0;

  constructor(text: string) {
    this.tokens = lex(text);
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const next = this.lookahead(true);
      switch (next.kind) {
        case 'identifier':
        case 'doesNotExist': {
          requirements.push(this.requirement());
          const after = this.consume(true);
          if (after.kind === 'end') return requirements;
          if (after.kind === 'comma') {
            const following = this.lookahead(true);
            if (following.kind !== 'identifier' && following.kind !== 'doesNotExist') {
              throw StatusError.badRequest(`found '${following.literal}', expected: identifier after ','`);
            }
            break;
          }
          throw StatusError.badRequest(`found '${after.literal}', expected: ',' or 'end of string'`);
        }
        case 'end':
          return requirements;
        default:
          throw StatusError.badRequest(`found '${next.literal}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  /** Where a value may stand, "in" and "notin" are plain identifiers ("x in (in)"). */
  private lookahead(asValue: boolean): Token {
    return this.asValue(this.tokens[this.position] ?? END, asValue);
  }

  private consume(asValue: boolean): Token {
    const token = this.tokens[this.position] ?? END;
    if (this.position < this.tokens.length - 1) this.position++;
    return this.asValue(token, asValue);
  }

  private asValue(token: Token, asValue: boolean): Token {
    if (asValue && (token.kind === 'in' || token.kind === 'notIn'))
      return { kind: 'identifier', literal: token.literal };
    return token;
  }

  private requirement(): Requirement {
    try {
      const { key, operator } = this.keyAndInferredOperator();
      if (operator !== undefined) return newRequirement(key, operator, []);
      const binary = this.operator();
      const values = binary === 'in' || binary === 'notin' ? this.valueSet() : this.exactValue();
      return newRequirement(key, binary, [...values].sort());
    } catch (err) {
      if (err instanceof StatusError) throw StatusError.badRequest(`unable to parse requirement: ${err.message}`);
      throw err;
    }
  }

  private keyAndInferredOperator(): { key: string; operator: LabelOperator | undefined } {
    let token = this.consume(true);
    let operator: LabelOperator | undefined;
    if (token.kind === 'doesNotExist') {
      operator = '!';
      token = this.consume(true);
    }
    if (token.kind !== 'identifier') throw StatusError.badRequest(`found '${token.literal}', expected: identifier`);
    const keyErrors = qualifiedNameErrors(token.literal);
    if (keyErrors.length > 0) {
      // Kubernetes parses without a field path, so the nil path prints as "<nil>".
      throw StatusError.badRequest(`<nil>: Invalid value: ${JSON.stringify(token.literal)}: ${keyErrors.join('; ')}`);
    }
    const next = this.lookahead(true);
    if (operator === undefined && (next.kind === 'end' || next.kind === 'comma')) operator = 'exists';
    return { key: token.literal, operator };
  }

  private operator(): LabelOperator {
    const token = this.consume(false);
    const operator = TOKEN_OPERATORS.get(token.kind);
    if (operator === undefined) {
      throw StatusError.badRequest(`found '${token.literal}', expected: ${BINARY_OPERATORS.join(', ')}`);
    }
    return operator;
  }

  /** "(a,b,c)"; empty members stand for the empty value: "()" and "(a,)" select "". */
  private valueSet(): Set<string> {
    const open = this.consume(true);
    if (open.kind !== 'openPar') throw StatusError.badRequest(`found '${open.literal}' expected: '('`);
    const first = this.lookahead(true);
    switch (first.kind) {
      case 'identifier':
      case 'comma': {
        const values = this.identifierList();
        // Kubernetes names the token after "(" here, not the one it found.
        if (this.consume(true).kind !== 'closePar')
          throw StatusError.badRequest(`found '${first.literal}', expected: ')'`);
        return values;
      }
      case 'closePar':
        this.consume(true);
        return new Set(['']);
      default:
        throw StatusError.badRequest(`found '${first.literal}', expected: ',', ')' or identifier`);
    }
  }

  private identifierList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const token = this.consume(true);
      if (token.kind === 'identifier') {
        values.add(token.literal);
        const next = this.lookahead(true);
        if (next.kind === 'comma') continue;
        if (next.kind === 'closePar') return values;
        throw StatusError.badRequest(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (token.kind === 'comma') {
        if (values.size === 0) values.add('');
        const next = this.lookahead(true);
        if (next.kind === 'closePar') {
          values.add('');
          return values;
        }
        if (next.kind === 'comma') values.add('');
        continue;
      }
      throw StatusError.badRequest(`found '${token.literal}', expected: ',', or identifier`);
    }
  }

  private exactValue(): Set<string> {
    const next = this.lookahead(true);
    if (next.kind === 'end' || next.kind === 'comma') return new Set(['']);
    const token = this.consume(true);
    if (token.kind === 'identifier') return new Set([token.literal]);
    throw StatusError.badRequest(`found '${token.literal}', expected: identifier`);
  }
}

const END: Token = { kind: 'end', literal: '' };

const TOKEN_OPERATORS: ReadonlyMap<TokenKind, LabelOperator> = new Map<TokenKind, LabelOperator>([
  ['in', 'in'],
  ['equals', '='],
  ['doubleEquals', '=='],
  ['greaterThan', 'gt'],
  ['lessThan', 'lt'],
  ['notIn', 'notin'],
  ['notEquals', '!='],
]);

function invalidCause(path: string, value: string, detail: string): StatusCause {
  return fieldCause('FieldValueInvalid', path, `Invalid value: ${quoted(value)}: ${detail}`);
}
