/**
 * A minimal protobuf encoder (proto3 wire format) for documents the server builds once, such
 * as the gnostic OpenAPI v2 document kubectl asks for. Encode-only: tkube never reads these.
 * Proto3 leaves default values (empty strings, false, 0) off the wire; so do the helpers here.
 */

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;

const encoder = new TextEncoder();

export class ProtoWriter {
  private buffer = new Uint8Array(256);
  private length = 0;

  /** A string field; empty strings are omitted, as proto3 does. */
  string(field: number, value: string | undefined): this {
    if (value === undefined || value === '') return this;
    return this.bytes(field, encoder.encode(value));
  }

  /** Every element of a `repeated string`, empty ones included (they are list entries). */
  strings(field: number, values: readonly string[] | undefined): this {
    for (const value of values ?? []) this.bytes(field, encoder.encode(value));
    return this;
  }

  /** A bool field; false is omitted unless `always` (a oneof member must be present). */
  bool(field: number, value: boolean | undefined, always = false): this {
    if (value === undefined || (!value && !always)) return this;
    this.tag(field, WIRE_VARINT);
    this.varint(value ? 1 : 0);
    return this;
  }

  /** An int64 field (non-negative here: lengths and counts). */
  int64(field: number, value: number | undefined): this {
    if (value === undefined || value === 0) return this;
    this.tag(field, WIRE_VARINT);
    this.varint(BigInt.asUintN(64, BigInt(Math.trunc(value))));
    return this;
  }

  double(field: number, value: number | undefined): this {
    if (value === undefined || value === 0) return this;
    this.tag(field, WIRE_FIXED64);
    this.reserve(8);
    new DataView(this.buffer.buffer).setFloat64(this.length, value, true);
    this.length += 8;
    return this;
  }

  /** A nested message, written even when empty (presence matters for messages). */
  message(field: number, write: (nested: ProtoWriter) => void): this {
    const nested = new ProtoWriter();
    write(nested);
    return this.bytes(field, nested.finish());
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(value.length);
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
    return this;
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  private varint(value: number | bigint): void {
    let rest = BigInt(value);
    this.reserve(10);
    while (rest >= 0x80n) {
      this.buffer[this.length++] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    this.buffer[this.length++] = Number(rest);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
