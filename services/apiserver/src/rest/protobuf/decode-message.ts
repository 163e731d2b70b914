/**
 * Decodes one protobuf message into the JSON object the same Go struct would marshal to,
 * following the message table: field numbers become JSON names, zero values that JSON's
 * omitempty would leave out are dropped, and a field number the table does not know is
 * refused (400), never skipped.
 */
import { StatusError } from '@tkube/api';
import { malformedBody, unsupportedField } from './errors.js';
import type { FieldSpec, FieldType, ValueType } from './message-spec.js';
import { MESSAGES } from './message-table.js';
import { decodeFieldsV1, decodeIntOrString, decodeMicroTime, decodeQuantity, decodeTime } from './special-types.js';
import { expectWireType, utf8 } from './wire-checks.js';
import { type FieldTag, WireFormatError, WireReader, WireType } from './wire-reader.js';

export type JsonObject = Record<string, unknown>;

/** Kubernetes objects nest about 15 deep; far more means a hostile or broken body. */
const MAX_DEPTH = 64;

export function decodeMessage(bytes: Uint8Array, messageName: string, depth = 0): JsonObject {
  if (depth > MAX_DEPTH) throw malformedBody(`messages are nested more than ${MAX_DEPTH} deep`);
  const spec = MESSAGES[messageName];
  if (spec === undefined) throw StatusError.internal(`no protobuf message table for ${messageName}`);
  const object: JsonObject = {};
  const reader = new WireReader(bytes);
  try {
    while (!reader.done) {
      const tag = reader.readTag();
      const field = Object.hasOwn(spec, tag.fieldNumber) ? spec[tag.fieldNumber] : undefined;
      if (field === undefined) throw unsupportedField(tag.fieldNumber, messageName);
      readField(reader, tag, field, object, messageName, depth);
    }
  } catch (err) {
    // The innermost message names where the bytes went wrong; outer ones pass it on.
    if (err instanceof WireFormatError) throw malformedBody(`${err.message} (in ${messageName})`);
    throw err;
  }
  return object;
}

function readField(
  reader: WireReader,
  tag: FieldTag,
  field: FieldSpec,
  object: JsonObject,
  messageName: string,
  depth: number,
): void {
  const type = field.type;
  if (isMap(type)) {
    expectWireType(tag, WireType.LengthDelimited, messageName);
    const entryName = `${messageName}.${field.json[0]?.toUpperCase()}${field.json.slice(1)}Entry`;
    const [key, value] = readMapEntry(reader.readLengthDelimited(), type.map, entryName, depth);
    const entries = ownChild(object, field.json, (): JsonObject => ({}));
    // defineProperty, so that a key such as "__proto__" is data, not a prototype change.
    Object.defineProperty(entries, key, { value, enumerable: true, writable: true, configurable: true });
    return;
  }
  if (field.repeated && isVarintType(type) && tag.wireType === WireType.LengthDelimited) {
    const packed = new WireReader(reader.readLengthDelimited());
    const list = listOf(object, field.json);
    while (!packed.done) list.push(varintValue(packed.readVarint(), type, messageName, tag.fieldNumber));
    return;
  }
  const value = readValue(reader, tag, type, messageName, depth);
  if (field.inline) {
    Object.assign(object, value);
  } else if (field.repeated) {
    listOf(object, field.json).push(value);
  } else if (value === undefined || (!field.keepZero && isZero(value, type))) {
    // The last occurrence of a field wins, as in protobuf; a later zero unsets it.
    delete object[field.json];
  } else {
    object[field.json] = value;
  }
}

function readValue(reader: WireReader, tag: FieldTag, type: ValueType, messageName: string, depth: number): unknown {
  if (isVarintType(type)) {
    expectWireType(tag, WireType.Varint, messageName);
    return varintValue(reader.readVarint(), type, messageName, tag.fieldNumber);
  }
  expectWireType(tag, WireType.LengthDelimited, messageName);
  const bytes = reader.readLengthDelimited();
  if (typeof type === 'object') return decodeMessage(bytes, type.message, depth + 1);
  switch (type) {
    case 'string':
      return utf8(bytes);
    case 'bytes':
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    case 'time':
      return decodeTime(bytes);
    case 'microTime':
      return decodeMicroTime(bytes);
    case 'quantity':
      return decodeQuantity(bytes);
    case 'intOrString':
      return decodeIntOrString(bytes);
    case 'fieldsV1':
      return decodeFieldsV1(bytes);
  }
}

function readMapEntry(bytes: Uint8Array, valueType: ValueType, entryName: string, depth: number): [string, unknown] {
  const reader = new WireReader(bytes);
  let key = '';
  let value: unknown;
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.fieldNumber === 1) {
      expectWireType(tag, WireType.LengthDelimited, entryName);
      key = utf8(reader.readLengthDelimited());
    } else if (tag.fieldNumber === 2) {
      value = readValue(reader, tag, valueType, entryName, depth);
    } else {
      throw unsupportedField(tag.fieldNumber, entryName);
    }
  }
  // A map value is kept whatever it is: an empty label value is a real value.
  return [key, value ?? zeroValue(valueType)];
}

type VarintType = 'bool' | 'int32' | 'int64';

function isVarintType(type: FieldType): type is VarintType {
  return type === 'bool' || type === 'int32' || type === 'int64';
}

function isMap(type: FieldType): type is { map: ValueType } {
  return typeof type === 'object' && 'map' in type;
}

function varintValue(raw: bigint, type: VarintType, messageName: string, fieldNumber: number): boolean | number {
  if (type === 'bool') return raw !== 0n;
  if (type === 'int32') return Number(BigInt.asIntN(32, raw));
  const value = BigInt.asIntN(64, raw);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw malformedBody(`field ${fieldNumber} of ${messageName} holds ${value}, too large for a JSON number`);
  }
  return Number(value);
}

function isZero(value: unknown, type: ValueType): boolean {
  if (typeof type === 'object') return false;
  if (type === 'quantity') return value === '0';
  return value === '' || value === 0 || value === false;
}

function zeroValue(type: ValueType): unknown {
  if (typeof type === 'object') return {};
  switch (type) {
    case 'bool':
      return false;
    case 'int32':
    case 'int64':
    case 'intOrString':
      return 0;
    case 'quantity':
      return '0';
    case 'fieldsV1':
      return {};
    case 'time':
    case 'microTime':
      return null;
    default:
      return '';
  }
}

function listOf(object: JsonObject, key: string): unknown[] {
  return ownChild(object, key, (): unknown[] => []);
}

/** The object or list under `key`, created on first use. */
function ownChild<T>(object: JsonObject, key: string, create: () => T): T {
  if (!Object.hasOwn(object, key)) object[key] = create();
  return object[key] as T;
}
