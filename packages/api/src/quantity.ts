/**
 * Kubernetes' resource.Quantity: a fixed-point number with a suffix ("500m", "1Gi", "1e3").
 *
 * The value is kept exactly as a count of nano units (10^-9), the finest precision Kubernetes
 * keeps: a finer fraction is rounded away from zero at parse time, so asking for "a little"
 * of a resource never becomes nothing. The format (decimal SI, binary SI or decimal exponent)
 * comes from the suffix the user wrote and decides how the quantity prints, as in
 * apimachinery's CanonicalizeBytes: "1.5" prints "1500m", "1024Mi" prints "1Gi", "1000" "1k".
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export class QuantityError extends Error {
  override name = 'QuantityError';

  /** apimachinery's ErrFormatWrong. */
  static formatWrong(): QuantityError {
    return new QuantityError(`quantities must match the regular expression '${SPLIT_REGEX}'`);
  }

  /** apimachinery's ErrNumeric. */
  static numeric(): QuantityError {
    return new QuantityError('unable to parse numeric part of quantity');
  }

  /** apimachinery's ErrSuffix. */
  static suffix(): QuantityError {
    return new QuantityError("unable to parse quantity's suffix");
  }
}

// The pattern apimachinery quotes in its format error; the scanner below is what decides.
const SPLIT_REGEX = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
const SUFFIX_CHARS = 'eEinumkKMGTP';

const NANOS_PER_UNIT = 1_000_000_000n;
const NANOS_PER_MILLI = 1_000_000n;
/** Binary quantities are capped at the largest int64, as apimachinery does. */
const MAX_BINARY_NANOS = ((1n << 63n) - 1n) * NANOS_PER_UNIT;
/** Beyond this a decimal exponent is refused rather than expanded into a huge number. */
const MAX_DECIMAL_EXPONENT = 10_000;

const DECIMAL_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['n', -9],
  ['u', -6],
  ['m', -3],
  ['', 0],
  ['k', 3],
  ['M', 6],
  ['G', 9],
  ['T', 12],
  ['P', 15],
  ['E', 18],
]);
const DECIMAL_SUFFIX_BY_EXPONENT: ReadonlyMap<number, string> = new Map(
  [...DECIMAL_SUFFIXES].map(([suffix, exponent]) => [exponent, suffix]),
);
/** Powers of 1024 by suffix ("Ki" is 1024^1). */
const BINARY_SUFFIXES: readonly string[] = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

export class Quantity {
  private constructor(
    /** The exact value in units of 10^-9. */
    private readonly nanos: bigint,
    readonly format: QuantityFormat,
  ) {}

  static parse(text: string): Quantity {
    const { nanos, format } = parseQuantityText(text);
    return new Quantity(nanos, format);
  }

  /** A quantity from its JSON form: Kubernetes accepts a string or a bare number. */
  static from(value: string | number): Quantity {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw QuantityError.formatWrong();
      return Quantity.parse(String(value));
    }
    return Quantity.parse(value);
  }

  static fromMilli(milli: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(milli) * NANOS_PER_MILLI, format);
  }

  static fromValue(value: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value) * NANOS_PER_UNIT, format);
  }

  /** The value in thousandths, rounded away from zero (Kubernetes' MilliValue). */
  milliValue(): bigint {
    return divideAwayFromZero(this.nanos, NANOS_PER_MILLI);
  }

  /** The value as an integer, rounded away from zero (Kubernetes' Value). */
  value(): bigint {
    return divideAwayFromZero(this.nanos, NANOS_PER_UNIT);
  }

  /** An approximate floating point value, for ratios and display. */
  toNumber(): number {
    return Number(this.nanos) / 1e9;
  }

  isZero(): boolean {
    return this.nanos === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.nanos < 0n ? -1 : this.nanos > 0n ? 1 : 0;
  }

  cmp(other: Quantity): -1 | 0 | 1 {
    return this.nanos < other.nanos ? -1 : this.nanos > other.nanos ? 1 : 0;
  }

  /** The sum; a zero quantity takes the other's format, as Kubernetes' Add. */
  add(other: Quantity): Quantity {
    return new Quantity(this.nanos + other.nanos, this.isZero() ? other.format : this.format);
  }

  sub(other: Quantity): Quantity {
    return new Quantity(this.nanos - other.nanos, this.isZero() ? other.format : this.format);
  }

  /** The canonical form, as Kubernetes prints it. */
  toString(): string {
    if (this.nanos === 0n) return '0';
    if (this.format === 'BinarySI' && this.printsAsBinary()) return binaryString(this.nanos / NANOS_PER_UNIT);
    return decimalString(this.nanos, this.format === 'DecimalExponent' ? 'DecimalExponent' : 'DecimalSI');
  }

  toJSON(): string {
    return this.toString();
  }

  /** Small or fractional binary quantities print in decimal so that nothing is rounded. */
  private printsAsBinary(): boolean {
    const magnitude = this.nanos < 0n ? -this.nanos : this.nanos;
    return magnitude >= 1024n * NANOS_PER_UNIT && this.nanos % NANOS_PER_UNIT === 0n;
  }
}

export function parseQuantity(text: string): Quantity {
  return Quantity.parse(text);
}

/** Whether a JSON value (string or number) is a quantity Kubernetes would accept. */
export function isValidQuantity(value: unknown): boolean {
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  try {
    Quantity.from(value);
    return true;
  } catch (err) {
    if (err instanceof QuantityError) return false;
    throw err;
  }
}

interface ScannedQuantity {
  positive: boolean;
  /** Digits before the decimal point, leading zeros stripped ("0" when none). */
  whole: string;
  /** Digits after the decimal point. */
  fraction: string;
  suffix: string;
}

/**
 * The scanner of apimachinery's parseQuantityString, quirks included: a lone sign or "."
 * is zero and "1.G" is accepted.
 */
function scanQuantity(text: string): ScannedQuantity {
  const end = text.length;
  let pos = 0;
  let positive = true;
  if (text[0] === '-') {
    positive = false;
    pos++;
  } else if (text[0] === '+') {
    pos++;
  }
  while (pos < end && text[pos] === '0') pos++;
  if (pos >= end) return { positive, whole: '0', fraction: '', suffix: '' };

  const wholeStart = pos;
  while (pos < end && isDigit(text[pos])) pos++;
  const whole = text.slice(wholeStart, pos) || '0';
  let fraction = '';
  if (pos < end && text[pos] === '.') {
    pos++;
    const fractionStart = pos;
    while (pos < end && isDigit(text[pos])) pos++;
    fraction = text.slice(fractionStart, pos);
  }

  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(text[pos] ?? '')) pos++;
  if (pos < end && (text[pos] === '-' || text[pos] === '+')) pos++;
  while (pos < end && isDigit(text[pos])) pos++;
  if (pos < end) throw QuantityError.formatWrong();
  return { positive, whole, fraction, suffix: text.slice(suffixStart) };
}

interface SuffixMeaning {
  base: 10 | 2;
  exponent: number;
  format: QuantityFormat;
}

function interpretSuffix(suffix: string): SuffixMeaning {
  const decimal = DECIMAL_SUFFIXES.get(suffix);
  if (decimal !== undefined) return { base: 10, exponent: decimal, format: 'DecimalSI' };
  const binary = BINARY_SUFFIXES.indexOf(suffix);
  if (binary > 0) return { base: 2, exponent: binary * 10, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const digits = suffix.slice(1);
    if (!/^[+-]?\d+$/.test(digits)) throw QuantityError.suffix();
    const exponent = Number(digits);
    // A huge negative exponent only means "less than a nano", which rounds up the same way
    // whatever its size (see parseQuantityText); a huge positive one is refused.
    if (exponent > MAX_DECIMAL_EXPONENT) throw QuantityError.numeric();
    return { base: 10, exponent, format: 'DecimalExponent' };
  }
  throw QuantityError.suffix();
}

function parseQuantityText(text: string): { nanos: bigint; format: QuantityFormat } {
  if (text.length === 0) throw QuantityError.formatWrong();
  const { positive, whole, fraction, suffix } = scanQuantity(text);
  const meaning = interpretSuffix(suffix);
  let format = meaning.format;

  // digits = whole.fraction without the point; the value is digits * 10^-len(fraction) * suffix.
  const digits = BigInt(whole + fraction);
  let numerator = digits * NANOS_PER_UNIT;
  let denominator = 10n ** BigInt(fraction.length);
  if (meaning.base === 2) {
    numerator *= 1n << BigInt(meaning.exponent);
  } else if (meaning.exponent >= 0) {
    numerator *= 10n ** BigInt(meaning.exponent);
  } else {
    // Any exponent below -(digits + 9) gives a value under one nano: clamping it there keeps
    // the arithmetic small and rounds the same way.
    const smallest = -(whole.length + fraction.length + 10);
    denominator *= 10n ** BigInt(-Math.max(meaning.exponent, smallest));
  }
  let magnitude = divideAwayFromZero(numerator, denominator);

  if (format === 'BinarySI' && magnitude > MAX_BINARY_NANOS) magnitude = MAX_BINARY_NANOS;
  if (format === 'BinarySI' && magnitude > 0n && magnitude < NANOS_PER_UNIT) format = 'DecimalSI';
  return { nanos: positive ? magnitude : -magnitude, format };
}

/** `value` in powers of 1024 with the largest exact binary suffix ("1536Mi", "1Gi"). */
function binaryString(value: bigint): string {
  let mantissa = value;
  let power = 0;
  while (power < BINARY_SUFFIXES.length - 1 && mantissa % 1024n === 0n && abs(mantissa) >= 1024n) {
    mantissa /= 1024n;
    power++;
  }
  return `${mantissa}${BINARY_SUFFIXES[power]}`;
}

/** A mantissa with the largest exponent that is a multiple of three and keeps it an integer. */
function decimalString(nanos: bigint, format: 'DecimalSI' | 'DecimalExponent'): string {
  let mantissa = nanos;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  while (exponent % 3 !== 0) {
    mantissa *= 10n;
    exponent--;
  }
  if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  // Past "E" there is no SI suffix: keep the mantissa larger instead.
  const largest = 18;
  if (exponent > largest) {
    mantissa *= 10n ** BigInt(exponent - largest);
    exponent = largest;
  }
  return `${mantissa}${DECIMAL_SUFFIX_BY_EXPONENT.get(exponent) ?? ''}`;
}

function divideAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  if (quotient * denominator === numerator) return quotient;
  return numerator < 0n ? quotient - 1n : quotient + 1n;
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}
