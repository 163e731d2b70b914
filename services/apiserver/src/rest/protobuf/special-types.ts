/**
 * The apimachinery types whose JSON form differs from their message: metav1.Time and
 * MicroTime become RFC 3339 strings, resource.Quantity and intstr.IntOrString their
 * string or number, metav1.FieldsV1 the JSON it wraps.
 */
import { malformedBody, unsupportedField } from './errors.js';
import { expectWireType, utf8 } from './wire-checks.js';
import { WireReader, WireType } from './wire-reader.js';

const TIMESTAMP = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';
const MICRO_TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const FIELDS_V1 = 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1';

/** 0001-01-01T00:00:00Z, Go's zero time, and 9999-12-31T23:59:59Z, the last RFC 3339 second. */
const MIN_SECONDS = -62135596800n;
const MAX_SECONDS = 253402300799n;

interface Timestamp {
  seconds: bigint;
  nanos: number;
}

function readTimestamp(bytes: Uint8Array, messageName: string): Timestamp {
  const reader = new WireReader(bytes);
  const timestamp: Timestamp = { seconds: 0n, nanos: 0 };
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.fieldNumber === 1) {
      expectWireType(tag, WireType.Varint, messageName);
      timestamp.seconds = BigInt.asIntN(64, reader.readVarint());
    } else if (tag.fieldNumber === 2) {
      expectWireType(tag, WireType.Varint, messageName);
      timestamp.nanos = Number(BigInt.asIntN(32, reader.readVarint()));
    } else {
      throw unsupportedField(tag.fieldNumber, messageName);
    }
  }
  if (timestamp.seconds < MIN_SECONDS || timestamp.seconds > MAX_SECONDS) {
    throw malformedBody(`${messageName} seconds ${timestamp.seconds} is outside years 1 to 9999`);
  }
  if (timestamp.nanos < 0 || timestamp.nanos > 999_999_999) {
    throw malformedBody(`${messageName} nanos ${timestamp.nanos} is outside 0 to 999999999`);
  }
  return timestamp;
}

/** "2006-01-02T15:04:05" in UTC. */
function formatSeconds(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
}

/**
 * metav1.Time: whole seconds ("2006-01-02T15:04:05Z"); the nanos are dropped as Kubernetes
 * drops them. An empty message is the zero time, which JSON writes as null: undefined here.
 */
export function decodeTime(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return undefined;
  const { seconds } = readTimestamp(bytes, TIMESTAMP);
  if (seconds === MIN_SECONDS) return undefined;
  return `${formatSeconds(seconds)}Z`;
}

/** metav1.MicroTime: "2006-01-02T15:04:05.000000Z". */
export function decodeMicroTime(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return undefined;
  const { seconds, nanos } = readTimestamp(bytes, MICRO_TIME);
  if (seconds === MIN_SECONDS && nanos === 0) return undefined;
  const micros = String(Math.floor(nanos / 1000)).padStart(6, '0');
  return `${formatSeconds(seconds)}.${micros}Z`;
}

/** resource.Quantity: {1: string}, its canonical text. */
export function decodeQuantity(bytes: Uint8Array): string {
  const reader = new WireReader(bytes);
  // An empty message is the zero Quantity; an empty string is not a quantity at all.
  let text = '0';
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.fieldNumber !== 1) throw unsupportedField(tag.fieldNumber, QUANTITY);
    expectWireType(tag, WireType.LengthDelimited, QUANTITY);
    text = utf8(reader.readLengthDelimited());
    if (text === '') throw malformedBody(`${QUANTITY} is an empty string`);
  }
  return text;
}

/** intstr.IntOrString: {1: type (0 int, 1 string), 2: intVal, 3: strVal}. */
export function decodeIntOrString(bytes: Uint8Array): number | string {
  const reader = new WireReader(bytes);
  let type = 0n;
  let intVal = 0;
  let strVal = '';
  while (!reader.done) {
    const tag = reader.readTag();
    switch (tag.fieldNumber) {
      case 1:
        expectWireType(tag, WireType.Varint, INT_OR_STRING);
        type = BigInt.asIntN(64, reader.readVarint());
        break;
      case 2:
        expectWireType(tag, WireType.Varint, INT_OR_STRING);
        intVal = Number(BigInt.asIntN(32, reader.readVarint()));
        break;
      case 3:
        expectWireType(tag, WireType.LengthDelimited, INT_OR_STRING);
        strVal = utf8(reader.readLengthDelimited());
        break;
      default:
        throw unsupportedField(tag.fieldNumber, INT_OR_STRING);
    }
  }
  if (type === 0n) return intVal;
  if (type === 1n) return strVal;
  throw malformedBody(`${INT_OR_STRING} type ${type} is neither 0 (int) nor 1 (string)`);
}

/** metav1.FieldsV1: {1: raw JSON bytes}. */
export function decodeFieldsV1(bytes: Uint8Array): unknown {
  const reader = new WireReader(bytes);
  let raw = '';
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.fieldNumber !== 1) throw unsupportedField(tag.fieldNumber, FIELDS_V1);
    expectWireType(tag, WireType.LengthDelimited, FIELDS_V1);
    raw = utf8(reader.readLengthDelimited());
  }
  if (raw === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw malformedBody(`${FIELDS_V1} does not hold JSON`);
  }
}
