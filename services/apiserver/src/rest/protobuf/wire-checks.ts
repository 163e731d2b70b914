/** Small checks shared by the message decoders. */
import { malformedBody } from './errors.js';
import { type FieldTag, WireType } from './wire-reader.js';

const WIRE_TYPE_NAMES: Record<number, string> = {
  [WireType.Varint]: 'varint',
  [WireType.Fixed64]: '64-bit',
  [WireType.LengthDelimited]: 'length-delimited',
  [WireType.StartGroup]: 'group',
  [WireType.EndGroup]: 'group end',
  [WireType.Fixed32]: '32-bit',
};

export function expectWireType(tag: FieldTag, expected: WireType, messageName: string): void {
  if (tag.wireType !== expected) {
    throw malformedBody(
      `field ${tag.fieldNumber} of ${messageName} is ${WIRE_TYPE_NAMES[tag.wireType]}, expected ${WIRE_TYPE_NAMES[expected]}`,
    );
  }
}

/** Go strings may hold any bytes; like Go's JSON encoder, invalid UTF-8 becomes U+FFFD. */
export function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}
