import { describe, expect, it } from 'vitest';
import { writer } from './testing/message-writer.js';
import { WireFormatError, WireReader, WireType } from './wire-reader.js';

describe('WireReader', () => {
  it('reads varints of one, several and ten bytes', () => {
    const reader = new WireReader(Uint8Array.of(0x05, 0xac, 0x02, ...Array(9).fill(0xff), 0x01));
    expect(reader.readVarint()).toBe(5n);
    expect(reader.readVarint()).toBe(300n);
    // -1 as an int64 is ten bytes of all ones.
    expect(BigInt.asIntN(64, reader.readVarint())).toBe(-1n);
    expect(reader.done).toBe(true);
  });

  it('reads tags, 64-bit, 32-bit and length-delimited values', () => {
    const bytes = writer().fixed64(1, 0x0102030405060708n).fixed32(2, 0xdeadbeef).string(3, 'héllo').finish();
    const reader = new WireReader(bytes);
    expect(reader.readTag()).toEqual({ fieldNumber: 1, wireType: WireType.Fixed64 });
    expect(reader.readFixed64()).toBe(0x0102030405060708n);
    expect(reader.readTag()).toEqual({ fieldNumber: 2, wireType: WireType.Fixed32 });
    expect(reader.readFixed32()).toBe(0xdeadbeef);
    expect(reader.readTag()).toEqual({ fieldNumber: 3, wireType: WireType.LengthDelimited });
    expect(Buffer.from(reader.readLengthDelimited()).toString('utf8')).toBe('héllo');
    expect(reader.done).toBe(true);
  });

  it('skips values of every wire type it can read', () => {
    const bytes = writer().varint(1, 300).fixed64(2, 1n).string(3, 'abc').fixed32(4, 7).varint(5, 9).finish();
    const reader = new WireReader(bytes);
    for (let i = 0; i < 4; i++) reader.skip(reader.readTag().wireType);
    expect(reader.readTag().fieldNumber).toBe(5);
    expect(reader.readVarint()).toBe(9n);
  });

  it('refuses truncated values instead of reading past the end', () => {
    expect(() => new WireReader(Uint8Array.of(0x80)).readVarint()).toThrow(WireFormatError);
    expect(() => new WireReader(Uint8Array.of(1, 2, 3)).readFixed32()).toThrow(WireFormatError);
    expect(() => new WireReader(Uint8Array.of(1, 2, 3, 4, 5, 6, 7)).readFixed64()).toThrow(WireFormatError);
    expect(() => new WireReader(Uint8Array.of(0x05, 0x61, 0x62)).readLengthDelimited()).toThrow(/past the end/);
    // A length far beyond the buffer (2^63) must not be trusted either.
    const huge = Uint8Array.of(...Array(9).fill(0xff), 0x00);
    expect(() => new WireReader(huge).readLengthDelimited()).toThrow(WireFormatError);
  });

  it('refuses varints longer than ten bytes, field number 0 and unknown wire types', () => {
    expect(() => new WireReader(Uint8Array.from(Array(11).fill(0x80))).readVarint()).toThrow(/longer than 10 bytes/);
    expect(() => new WireReader(Uint8Array.of(0x00)).readTag()).toThrow(/invalid field number 0/);
    expect(() => new WireReader(Uint8Array.of(0x0e)).readTag()).toThrow(/invalid wire type 6/);
    expect(() => new WireReader(Uint8Array.of(0x0b)).skip(WireType.StartGroup)).toThrow(/groups are not supported/);
  });
});
