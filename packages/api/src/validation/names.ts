/**
 * The syntax rules of apimachinery's util/validation: each returns the messages Kubernetes
 * gives for a value that breaks the rule, empty when the value is fine.
 */

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const LABEL_KEY_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${LABEL_KEY_FMT})?`;
const CONFIG_MAP_KEY_FMT = '[-._a-zA-Z0-9]+';
const PERCENT_FMT = '[0-9]+%';
const HTTP_HEADER_NAME_FMT = '[-A-Za-z0-9]+';
const C_IDENTIFIER_FMT = '[A-Za-z_][A-Za-z0-9_]*';

const anchored = (fmt: string) => new RegExp(`^${fmt}$`);
const labelKeyRegexp = anchored(LABEL_KEY_FMT);

export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
const LABEL_VALUE_MAX_LENGTH = 63;
const LABEL_KEY_NAME_MAX_LENGTH = 63;
const PORT_NAME_MAX_LENGTH = 15;

export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

export function regexError(message: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${fmt}')`;
  const quoted = examples.map((e) => `'${e}', `).join(' or ');
  return `${message} (e.g. ${quoted}regex used for validation is '${fmt}')`;
}

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

export const EMPTY_ERROR = 'must be non-empty';
export const NEGATIVE_ERROR = 'must be greater than or equal to 0';

/** Kubernetes measures lengths in bytes (Go's len of a string). */
export function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

function maxBytesErrors(value: string, maxBytes: number): string[] {
  return byteLength(value) > maxBytes ? [maxLenError(maxBytes)] : [];
}

/** Most rules of util/validation: a format, the message that explains it, and for some a byte limit. */
interface SyntaxRule {
  regexp: RegExp;
  formatError: string;
  maxBytes?: number;
}

function syntaxRule(fmt: string, message: string, examples: readonly string[], maxBytes?: number): SyntaxRule {
  return { regexp: anchored(fmt), formatError: regexError(message, fmt, ...examples), maxBytes };
}

/** Too long, then not in the format: a value may break both, and Kubernetes reports both. */
function syntaxErrors(value: string, rule: SyntaxRule): string[] {
  const errs = rule.maxBytes === undefined ? [] : maxBytesErrors(value, rule.maxBytes);
  if (!rule.regexp.test(value)) errs.push(rule.formatError);
  return errs;
}

const DNS1123_LABEL = syntaxRule(
  DNS1123_LABEL_FMT,
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
  ['my-name', '123-abc'],
  DNS1123_LABEL_MAX_LENGTH,
);
const DNS1123_SUBDOMAIN = syntaxRule(
  DNS1123_SUBDOMAIN_FMT,
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  ['example.com'],
  DNS1123_SUBDOMAIN_MAX_LENGTH,
);
const DNS1035_LABEL = syntaxRule(
  DNS1035_LABEL_FMT,
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
  ['my-name', 'abc-123'],
  DNS1123_LABEL_MAX_LENGTH,
);
const LABEL_VALUE = syntaxRule(
  LABEL_VALUE_FMT,
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
  ['MyValue', 'my_value', '12345'],
  LABEL_VALUE_MAX_LENGTH,
);
const CONFIG_MAP_KEY = syntaxRule(
  CONFIG_MAP_KEY_FMT,
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
  ['key.name', 'KEY_NAME', 'key-name'],
  DNS1123_SUBDOMAIN_MAX_LENGTH,
);
const PERCENT = syntaxRule(PERCENT_FMT, "a valid percent string must be a numeric string followed by an ending '%'", [
  '1%',
  '93%',
]);
const HTTP_HEADER_NAME = syntaxRule(
  HTTP_HEADER_NAME_FMT,
  "a valid HTTP header must consist of alphanumeric characters or '-'",
  ['X-Header-Name'],
);
const C_IDENTIFIER = syntaxRule(
  C_IDENTIFIER_FMT,
  "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'",
  ['my_name', 'MY_NAME', 'MyName'],
);

export function dns1123LabelErrors(value: string): string[] {
  if (!DNS1123_LABEL.regexp.test(value) && DNS1123_SUBDOMAIN.regexp.test(value)) {
    // A subdomain that is no label has dots: Kubernetes says so rather than quoting the format.
    return [...maxBytesErrors(value, DNS1123_LABEL_MAX_LENGTH), 'must not contain dots'];
  }
  return syntaxErrors(value, DNS1123_LABEL);
}

export function dns1123SubdomainErrors(value: string): string[] {
  return syntaxErrors(value, DNS1123_SUBDOMAIN);
}

export function dns1035LabelErrors(value: string): string[] {
  return syntaxErrors(value, DNS1035_LABEL);
}

export function isDNS1123Label(value: string): boolean {
  return dns1123LabelErrors(value).length === 0;
}

export function isDNS1123Subdomain(value: string): boolean {
  return dns1123SubdomainErrors(value).length === 0;
}

const LABEL_KEY_MESSAGE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** A qualified name (label key, annotation key, finalizer): an optional DNS prefix and a name. */
export function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0] ?? '';
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) errs.push(`prefix part ${EMPTY_ERROR}`);
    else errs.push(...dns1123SubdomainErrors(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a valid label key ${regexError(LABEL_KEY_MESSAGE, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push(`name part ${EMPTY_ERROR}`);
  else if (byteLength(name) > LABEL_KEY_NAME_MAX_LENGTH)
    errs.push(`name part ${maxLenError(LABEL_KEY_NAME_MAX_LENGTH)}`);
  if (!labelKeyRegexp.test(name)) {
    errs.push(`name part ${regexError(LABEL_KEY_MESSAGE, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

export function labelValueErrors(value: string): string[] {
  return syntaxErrors(value, LABEL_VALUE);
}

/** An IANA_SVC_NAME: a named port. */
export function portNameErrors(port: string): string[] {
  const errs: string[] = [];
  if (byteLength(port) > PORT_NAME_MAX_LENGTH) errs.push(maxLenError(PORT_NAME_MAX_LENGTH));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.startsWith('-') || port.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

export function portNumberErrors(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/**
 * Environment variable names as Kubernetes 1.34+ accepts them (RelaxedEnvironmentVariableValidation
 * is GA): any printable ASCII except '='.
 */
export function envVarNameErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) errs.push(`environment variable name ${EMPTY_ERROR}`);
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code > 0x7e || ch === '=') {
      errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errs;
}

function chDirPrefixErrors(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

/** A key of a ConfigMap's or Secret's data. */
export function configMapKeyErrors(value: string): string[] {
  return [...syntaxErrors(value, CONFIG_MAP_KEY), ...chDirPrefixErrors(value)];
}

export function percentErrors(value: string): string[] {
  return syntaxErrors(value, PERCENT);
}

export function httpHeaderNameErrors(value: string): string[] {
  return syntaxErrors(value, HTTP_HEADER_NAME);
}

export function cIdentifierErrors(value: string): string[] {
  return syntaxErrors(value, C_IDENTIFIER);
}

/** Names used as a URL path segment (apimachinery's IsValidPathSegmentName). */
export function pathSegmentNameErrors(name: string, prefix: boolean): string[] {
  const errs: string[] = [];
  if (!prefix) {
    if (name === '.' || name === '..') return [`may not be '${name}'`];
  }
  if (name.includes('/')) errs.push("may not contain '/'");
  if (name.includes('%')) errs.push("may not contain '%'");
  return errs;
}

/** IPv4 dotted quad or an IPv6 address, as Go's netip would accept them. */
export function isIP(value: string): boolean {
  return isIPv4(value) || isIPv6(value);
}

export function isIPv4(value: string): boolean {
  const parts = value.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

export function isIPv6(value: string): boolean {
  if (!value.includes(':') || value.includes('%')) return false;
  let text = value;
  let groupsNeeded = 8;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return false;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0] ?? '');
  const rest = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const all = [...head, ...rest];
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  if (halves.length === 2) return all.length < groupsNeeded;
  groupsNeeded = 8;
  return all.length === groupsNeeded;
}

export const INVALID_IP_MESSAGE = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
