/**
 * The Kubernetes protobuf envelope: the magic bytes "k8s\x00", then a runtime.Unknown
 * message {1: TypeMeta{1: apiVersion, 2: kind}, 2: raw (the object's own message),
 * 3: contentEncoding, 4: contentType}.
 */
import { StatusError } from '@tkube/api';
import { malformedBody } from './errors.js';
import { expectWireType, utf8 } from './wire-checks.js';
import { WireReader, WireType } from './wire-reader.js';

export const PROTOBUF_MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

const UNKNOWN = 'io.k8s.apimachinery.pkg.runtime.Unknown';
const TYPE_META = 'io.k8s.apimachinery.pkg.runtime.TypeMeta';

export interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
}

function hasMagic(body: Uint8Array): boolean {
  return body.length >= PROTOBUF_MAGIC.length && PROTOBUF_MAGIC.every((byte, i) => body[i] === byte);
}

export function readEnvelope(body: Uint8Array): Envelope {
  if (!hasMagic(body)) {
    throw StatusError.badRequest(
      'the body is not a Kubernetes protobuf message: it must start with the bytes "k8s\\x00" (6b 38 73 00)',
    );
  }
  if (body.length === PROTOBUF_MAGIC.length) throw malformedBody('empty body after the "k8s\\x00" prefix');
  const envelope: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array() };
  let contentEncoding = '';
  // Fields of these two messages that Kubernetes may add later carry nothing of the object: skipped.
  const reader = new WireReader(body.subarray(PROTOBUF_MAGIC.length));
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.fieldNumber === 1) {
      expectWireType(tag, WireType.LengthDelimited, UNKNOWN);
      readTypeMeta(reader.readLengthDelimited(), envelope);
    } else if (tag.fieldNumber === 2) {
      expectWireType(tag, WireType.LengthDelimited, UNKNOWN);
      envelope.raw = reader.readLengthDelimited();
    } else if (tag.fieldNumber === 3) {
      expectWireType(tag, WireType.LengthDelimited, UNKNOWN);
      contentEncoding = utf8(reader.readLengthDelimited());
    } else {
      reader.skip(tag.wireType);
    }
  }
  if (contentEncoding !== '') {
    throw StatusError.badRequest(`protobuf content encoding "${contentEncoding}" is not supported; send JSON instead`);
  }
  return envelope;
}

function readTypeMeta(bytes: Uint8Array, envelope: Envelope): void {
  const reader = new WireReader(bytes);
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.fieldNumber === 1 || tag.fieldNumber === 2) {
      expectWireType(tag, WireType.LengthDelimited, TYPE_META);
      const value = utf8(reader.readLengthDelimited());
      if (tag.fieldNumber === 1) envelope.apiVersion = value;
      else envelope.kind = value;
    } else {
      reader.skip(tag.wireType);
    }
  }
}
