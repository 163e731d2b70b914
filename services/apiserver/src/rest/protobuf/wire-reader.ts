/**
 * A reader for the protobuf wire format (varint, 64-bit, length-delimited, 32-bit), over
 * one message's bytes. Every read checks the bounds, so a truncated or corrupt body ends in
 * a WireFormatError, never in a read past the end or an endless loop.
 */

export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  StartGroup: 3,
  EndGroup: 4,
  Fixed32: 5,
} as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

export interface FieldTag {
  fieldNumber: number;
  wireType: WireType;
}

/** The bytes are not a well-formed protobuf message; `message` says where and why. */
export class WireFormatError extends Error {
  override name = 'WireFormatError';
}

const MAX_VARINT_BYTES = 10;
/** Field numbers are 29-bit; 0 is never valid. */
const MAX_FIELD_NUMBER = 2 ** 29 - 1;

export class WireReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  readTag(): FieldTag {
    const key = this.readVarint();
    const wireType = Number(key & 7n);
    const fieldNumber = Number(key >> 3n);
    if (fieldNumber < 1 || fieldNumber > MAX_FIELD_NUMBER) {
      throw new WireFormatError(`invalid field number ${fieldNumber} at byte ${this.offset}`);
    }
    if (wireType > WireType.Fixed32) {
      throw new WireFormatError(`invalid wire type ${wireType} for field ${fieldNumber}`);
    }
    return { fieldNumber, wireType: wireType as WireType };
  }

  /** An unsigned varint of up to 64 bits. */
  readVarint(): bigint {
    let result = 0n;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const byte = this.takeByte();
      result |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw new WireFormatError('varint longer than 10 bytes');
  }

  readFixed64(): bigint {
    const slice = this.take(8);
    return new DataView(slice.buffer, slice.byteOffset, 8).getBigUint64(0, true);
  }

  readFixed32(): number {
    const slice = this.take(4);
    return new DataView(slice.buffer, slice.byteOffset, 4).getUint32(0, true);
  }

  readLengthDelimited(): Uint8Array {
    const length = this.readVarint();
    if (length > BigInt(this.bytes.length - this.offset)) {
      throw new WireFormatError(`length ${length} runs past the end of the message`);
    }
    return this.take(Number(length));
  }

  /** Skips the value of a field of the given wire type (groups are not used by Kubernetes). */
  skip(wireType: WireType): void {
    switch (wireType) {
      case WireType.Varint:
        this.readVarint();
        return;
      case WireType.Fixed64:
        this.take(8);
        return;
      case WireType.LengthDelimited:
        this.readLengthDelimited();
        return;
      case WireType.Fixed32:
        this.take(4);
        return;
      default:
        throw new WireFormatError(`cannot skip a field of wire type ${wireType} (groups are not supported)`);
    }
  }

  private takeByte(): number {
    const byte = this.bytes[this.offset];
    if (byte === undefined) throw new WireFormatError('message ends in the middle of a value');
    this.offset += 1;
    return byte;
  }

  private take(length: number): Uint8Array {
    if (this.offset + length > this.bytes.length) {
      throw new WireFormatError('message ends in the middle of a value');
    }
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }
}
