import { describe, expect, it } from 'vitest';
import { decodeFieldsV1, decodeIntOrString, decodeMicroTime, decodeQuantity, decodeTime } from './special-types.js';
import { writer } from './testing/message-writer.js';

const timestamp = (seconds: number | bigint, nanos = 0) => writer().varint(1, seconds).varint(2, nanos).finish();

describe('metav1.Time and MicroTime', () => {
  it('formats whole seconds in UTC, dropping the nanos as Kubernetes does', () => {
    expect(decodeTime(timestamp(1_136_214_245, 999_000_000))).toBe('2006-01-02T15:04:05Z');
    expect(decodeTime(timestamp(0))).toBe('1970-01-01T00:00:00Z');
    expect(decodeTime(timestamp(-1))).toBe('1969-12-31T23:59:59Z');
  });

  it('treats the empty message and Go zero time as unset (JSON null)', () => {
    expect(decodeTime(new Uint8Array())).toBeUndefined();
    expect(decodeTime(timestamp(-62_135_596_800n))).toBeUndefined();
    expect(decodeMicroTime(new Uint8Array())).toBeUndefined();
  });

  it('formats MicroTime with six fractional digits', () => {
    expect(decodeMicroTime(timestamp(1_136_214_245, 123_456_789))).toBe('2006-01-02T15:04:05.123456Z');
    expect(decodeMicroTime(timestamp(1_136_214_245, 5_000))).toBe('2006-01-02T15:04:05.000005Z');
  });

  it('refuses times outside RFC 3339 years, bad nanos and unknown fields', () => {
    expect(() => decodeTime(timestamp(253_402_300_800n))).toThrow(/outside years 1 to 9999/);
    expect(() => decodeMicroTime(timestamp(0, -1))).toThrow(/nanos -1/);
    expect(() => decodeTime(writer().varint(3, 1).finish())).toThrow(
      'protobuf field 3 of io.k8s.apimachinery.pkg.apis.meta.v1.Time is not supported by tkube; send JSON instead',
    );
    expect(() => decodeTime(writer().string(1, 'x').finish())).toThrow(
      /field 1 .* is length-delimited, expected varint/,
    );
  });
});

describe('resource.Quantity', () => {
  it('is its string', () => {
    expect(decodeQuantity(writer().string(1, '500m').finish())).toBe('500m');
    expect(decodeQuantity(new Uint8Array())).toBe('0');
    expect(() => decodeQuantity(writer().string(1, '').finish())).toThrow(/empty string/);
  });
});

describe('intstr.IntOrString', () => {
  it('is a number for type 0 and a string for type 1', () => {
    expect(decodeIntOrString(writer().varint(1, 0).varint(2, 8080).string(3, '').finish())).toBe(8080);
    expect(decodeIntOrString(writer().varint(1, 1).varint(2, 0).string(3, '25%').finish())).toBe('25%');
    expect(decodeIntOrString(writer().varint(1, 0).varint(2, -3).finish())).toBe(-3);
    expect(() => decodeIntOrString(writer().varint(1, 2).finish())).toThrow(/type 2/);
  });
});

describe('metav1.FieldsV1', () => {
  it('is the JSON it wraps', () => {
    expect(decodeFieldsV1(writer().string(1, '{"f:metadata":{"f:labels":{}}}').finish())).toEqual({
      'f:metadata': { 'f:labels': {} },
    });
    expect(() => decodeFieldsV1(writer().string(1, '{nope').finish())).toThrow(/does not hold JSON/);
  });
});
