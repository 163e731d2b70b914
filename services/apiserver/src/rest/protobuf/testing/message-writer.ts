/**
 * For tests: a small protobuf encoder, to build bodies shaped like the ones kubectl sends
 * (gogo-protobuf writes every non-pointer field, zero or not).
 */
import { PROTOBUF_MAGIC } from '../envelope.js';

export class MessageWriter {
  private readonly bytes: number[] = [];

  /** A varint field; negative numbers take ten bytes, as int32/int64 do on the wire. */
  varint(field: number, value: number | bigint | boolean): this {
    this.tag(field, 0);
    this.rawVarint(BigInt.asUintN(64, BigInt(typeof value === 'boolean' ? Number(value) : value)));
    return this;
  }

  string(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  bytesField(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.rawVarint(BigInt(value.length));
    this.bytes.push(...value);
    return this;
  }

  message(field: number, value: MessageWriter | ((writer: MessageWriter) => MessageWriter)): this {
    const nested = typeof value === 'function' ? value(new MessageWriter()) : value;
    return this.bytesField(field, nested.finish());
  }

  /** A `map<string, string>` entry. */
  entry(field: number, key: string, value: string): this {
    return this.message(field, (m) => m.string(1, key).string(2, value));
  }

  fixed32(field: number, value: number): this {
    this.tag(field, 5);
    for (let i = 0; i < 4; i++) this.bytes.push((value >>> (8 * i)) & 0xff);
    return this;
  }

  fixed64(field: number, value: bigint): this {
    this.tag(field, 1);
    for (let i = 0n; i < 8n; i++) this.bytes.push(Number((value >> (8n * i)) & 0xffn));
    return this;
  }

  /** Raw bytes appended as they are, for malformed input. */
  raw(bytes: ArrayLike<number>): this {
    this.bytes.push(...Array.from(bytes));
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(BigInt(field * 8 + wireType));
  }

  private rawVarint(value: bigint): void {
    let rest = value;
    while (rest >= 0x80n) {
      this.bytes.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.bytes.push(Number(rest));
  }
}

export const writer = () => new MessageWriter();

/** "k8s\x00" + runtime.Unknown, with the empty contentEncoding and contentType kubectl writes. */
export function kubernetesBody(apiVersion: string, kind: string, object: MessageWriter): Buffer {
  const unknown = writer()
    .message(1, (typeMeta) => typeMeta.string(1, apiVersion).string(2, kind))
    .message(2, object)
    .string(3, '')
    .string(4, '');
  return Buffer.concat([PROTOBUF_MAGIC, unknown.finish()]);
}

/** ObjectMeta as kubectl's generators write it: every non-pointer field, zero or not. */
export function kubectlObjectMeta(name: string, labels: Record<string, string> = {}): MessageWriter {
  const meta = writer()
    .string(1, name)
    .string(2, '')
    .string(3, '')
    .string(4, '')
    .string(5, '')
    .string(6, '')
    .varint(7, 0)
    .message(8, writer());
  for (const [key, value] of Object.entries(labels)) meta.entry(11, key, value);
  return meta;
}

/** Container as kubectl writes it (core/v1 field numbers), with its zero-valued fields. */
export function kubectlContainer(name: string, image: string, command: string[] = [], port?: number): MessageWriter {
  const container = writer().string(1, name).string(2, image);
  for (const arg of command) container.string(3, arg);
  container.string(5, '');
  if (port !== undefined) {
    container.message(6, (p) => p.string(1, '').varint(2, 0).varint(3, port).string(4, '').string(5, ''));
  }
  return container
    .message(8, writer())
    .string(13, '')
    .string(14, '')
    .varint(16, false)
    .varint(17, false)
    .varint(18, false)
    .string(20, '');
}

/** PodSpec as kubectl writes it: the containers, then every zero-valued scalar field. */
export function kubectlPodSpec(containers: MessageWriter[], restartPolicy = ''): MessageWriter {
  const spec = writer();
  for (const container of containers) spec.message(2, container);
  return spec
    .string(3, restartPolicy)
    .string(6, '')
    .string(8, '')
    .string(9, '')
    .string(10, '')
    .varint(11, false)
    .varint(12, false)
    .varint(13, false)
    .string(16, '')
    .string(17, '')
    .string(19, '')
    .string(24, '');
}

export function kubectlPodTemplate(spec: MessageWriter, labels: Record<string, string> = {}, name = ''): MessageWriter {
  return writer().message(1, kubectlObjectMeta(name, labels)).message(2, spec);
}
