import { describe, expect, it } from 'vitest';
import { isValidQuantity, parseQuantity, Quantity, QuantityError } from './quantity.js';

const canonical = (text: string) => parseQuantity(text).toString();

describe('Quantity canonical form', () => {
  it.each([
    ['0', '0'],
    ['0m', '0'],
    ['0Gi', '0'],
    ['-0', '0'],
    ['2', '2'],
    ['+2', '2'],
    ['-2', '-2'],
    ['500m', '500m'],
    ['0.5', '500m'],
    ['1.5', '1500m'],
    ['0.1', '100m'],
    ['0.0001', '100u'],
    ['0.000001', '1u'],
    ['0.0000001', '100n'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['1500000', '1500k'],
    ['1000000', '1M'],
    ['129M', '129M'],
    ['128974848', '128974848'],
    ['5n', '5n'],
    ['4u', '4u'],
    ['8k', '8k'],
    ['6G', '6G'],
    ['5T', '5T'],
    ['2P', '2P'],
    ['1E', '1E'],
    ['1000E', '1000E'],
    ['1Ki', '1Ki'],
    ['123Mi', '123Mi'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'],
    ['0.5Gi', '512Mi'],
    ['3Ei', '3Ei'],
    ['-1Ki', '-1Ki'],
    // Binary values that would lose precision or are small print in decimal.
    ['1.5Ki', '1536'],
    ['0.5Ki', '512'],
    ['1.1Ki', '1126400m'],
    ['0.5Mi', '512Ki'],
    // Decimal exponents keep their format.
    ['1e3', '1e3'],
    ['1E6', '1e6'],
    ['12e6', '12e6'],
    ['1e-3', '1e-3'],
    ['1.5e3', '1500'],
    ['1e+3', '1e3'],
    ['1000e0', '1e3'],
    // Leading zeros and the scanner's leniency.
    ['007', '7'],
    ['1.', '1'],
    ['.5', '500m'],
  ])('%s prints as %s', (input, expected) => {
    expect(canonical(input)).toBe(expected);
  });

  it('rounds fractions below a nano unit away from zero', () => {
    expect(canonical('0.0000000001')).toBe('1n');
    expect(canonical('-0.0000000001')).toBe('-1n');
    expect(canonical('1.0000000001')).toBe('1000000001n');
    expect(canonical('1e-100000')).toBe('1e-9');
  });

  it('caps binary quantities at the largest int64', () => {
    expect(canonical('9Ei')).toBe('9223372036854775807');
  });

  it('serialises to JSON as its canonical string', () => {
    expect(JSON.stringify({ cpu: parseQuantity('0.25') })).toBe('{"cpu":"250m"}');
  });
});

describe('Quantity values', () => {
  it('gives exact milli values and values rounded away from zero', () => {
    expect(parseQuantity('500m').milliValue()).toBe(500n);
    expect(parseQuantity('500m').value()).toBe(1n);
    expect(parseQuantity('-500m').value()).toBe(-1n);
    expect(parseQuantity('1.5').milliValue()).toBe(1500n);
    expect(parseQuantity('1n').milliValue()).toBe(1n);
    expect(parseQuantity('1Gi').value()).toBe(1073741824n);
    expect(parseQuantity('1Gi').milliValue()).toBe(1073741824000n);
    expect(parseQuantity('129M').value()).toBe(129000000n);
    expect(parseQuantity('1e3').value()).toBe(1000n);
  });

  it('keeps values beyond float precision exactly', () => {
    expect(parseQuantity('9007199254740993').value()).toBe(9007199254740993n);
  });

  it('compares across formats', () => {
    expect(parseQuantity('1Ki').cmp(parseQuantity('1024'))).toBe(0);
    expect(parseQuantity('1k').cmp(parseQuantity('1Ki'))).toBe(-1);
    expect(parseQuantity('2').cmp(parseQuantity('1999m'))).toBe(1);
  });

  it('adds and subtracts without mutating, keeping the left format unless it is zero', () => {
    const memory = parseQuantity('1Gi');
    expect(memory.add(parseQuantity('512Mi')).toString()).toBe('1536Mi');
    expect(memory.toString()).toBe('1Gi');
    expect(parseQuantity('0').add(parseQuantity('1Gi')).toString()).toBe('1Gi');
    expect(parseQuantity('1').add(parseQuantity('500m')).toString()).toBe('1500m');
    expect(parseQuantity('1').sub(parseQuantity('1500m')).toString()).toBe('-500m');
    expect(parseQuantity('1Ki').sub(parseQuantity('1')).toString()).toBe('1023');
  });

  it('builds quantities from milli units and integers', () => {
    expect(Quantity.fromMilli(250).toString()).toBe('250m');
    expect(Quantity.fromValue(2048, 'BinarySI').toString()).toBe('2Ki');
    expect(Quantity.fromValue(0).isZero()).toBe(true);
    expect(Quantity.fromMilli(-3).sign()).toBe(-1);
  });

  it('accepts the bare numbers JSON manifests may carry', () => {
    expect(Quantity.from(0.5).toString()).toBe('500m');
    expect(Quantity.from(2).toString()).toBe('2');
    expect(Quantity.from(1e21).toString()).toBe('1e21');
  });
});

describe('Quantity errors', () => {
  const formatMessage = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

  it.each(['', 'aoeu', '1.5.5', '1Gb', '1 Gi', '1KiB', '1e3e', '1+1.0M'])('%j has the wrong format', (input) => {
    expect(() => parseQuantity(input)).toThrow(new QuantityError(formatMessage));
  });

  it.each(['1i', '1Mii', '0.1mi', '.5i', '1e', '1ee3', '1e-', '1Mi3'])('%j has a bad suffix', (input) => {
    expect(() => parseQuantity(input)).toThrow(new QuantityError("unable to parse quantity's suffix"));
  });

  it('refuses absurd exponents instead of expanding them', () => {
    expect(() => parseQuantity('1e99999')).toThrow('unable to parse numeric part of quantity');
  });

  it('throws QuantityError, an Error', () => {
    expect(() => parseQuantity('x')).toThrow(QuantityError);
    try {
      parseQuantity('x');
    } catch (err) {
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).name).toBe('QuantityError');
    }
  });
});

describe('isValidQuantity', () => {
  it('accepts quantity strings and finite numbers', () => {
    expect(isValidQuantity('100Mi')).toBe(true);
    expect(isValidQuantity('0.5')).toBe(true);
    expect(isValidQuantity(3)).toBe(true);
    expect(isValidQuantity(0.25)).toBe(true);
  });

  it('rejects anything else', () => {
    expect(isValidQuantity('100MB')).toBe(false);
    expect(isValidQuantity('')).toBe(false);
    expect(isValidQuantity(Number.NaN)).toBe(false);
    expect(isValidQuantity(Number.POSITIVE_INFINITY)).toBe(false);
    expect(isValidQuantity(null)).toBe(false);
    expect(isValidQuantity({})).toBe(false);
    expect(isValidQuantity(true)).toBe(false);
  });
});
