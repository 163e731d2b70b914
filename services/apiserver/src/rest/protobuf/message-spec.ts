/**
 * The shape of the message table: for each protobuf message Kubernetes sends, which JSON
 * field each field number becomes and how its value is read. Written by hand from the
 * k8s.io/api generated.proto files and the Go types' JSON tags.
 */

/** Values carried directly on the wire. */
export type ScalarType = 'string' | 'bool' | 'int32' | 'int64' | 'bytes';

/**
 * Messages with a JSON form of their own: metav1.Time and MicroTime (RFC 3339 strings),
 * resource.Quantity (a string), intstr.IntOrString (a number or a string) and
 * metav1.FieldsV1 (raw JSON).
 */
export type SpecialType = 'time' | 'microTime' | 'quantity' | 'intOrString' | 'fieldsV1';

export type ValueType = ScalarType | SpecialType | { message: string };

export type FieldType = ValueType | { map: ValueType };

export interface FieldSpec {
  /** The JSON name; unused for inline fields. */
  json: string;
  type: FieldType;
  repeated?: boolean;
  /**
   * Keep the value even when it is the zero value: the Go field is a pointer (encoded only
   * when set, so a 0 or false is meaningful) or its JSON tag has no omitempty. Everything
   * else gogo-protobuf writes even when zero, and JSON leaves it out.
   */
  keepZero?: boolean;
  /** An embedded Go struct (`json:",inline"`): its fields go into the enclosing object. */
  inline?: boolean;
}

export type MessageSpec = Readonly<Record<number, FieldSpec>>;
export type MessageTable = Readonly<Record<string, MessageSpec>>;

/** A field whose zero value is kept (pointer, or JSON tag without omitempty). */
export const keepZero = { keepZero: true } as const;

type Options = Pick<FieldSpec, 'keepZero'>;

export const string = (json: string, options: Options = {}): FieldSpec => ({ json, type: 'string', ...options });
export const bool = (json: string, options: Options = {}): FieldSpec => ({ json, type: 'bool', ...options });
export const int32 = (json: string, options: Options = {}): FieldSpec => ({ json, type: 'int32', ...options });
export const int64 = (json: string, options: Options = {}): FieldSpec => ({ json, type: 'int64', ...options });
export const bytes = (json: string, options: Options = {}): FieldSpec => ({ json, type: 'bytes', ...options });
export const time = (json: string): FieldSpec => ({ json, type: 'time' });
export const microTime = (json: string): FieldSpec => ({ json, type: 'microTime' });
export const quantity = (json: string, options: Options = {}): FieldSpec => ({ json, type: 'quantity', ...options });
export const intOrString = (json: string, options: Options = {}): FieldSpec => ({
  json,
  type: 'intOrString',
  ...options,
});
export const fieldsV1 = (json: string): FieldSpec => ({ json, type: 'fieldsV1' });

/** A nested message; present on the wire means set, so it is always kept (`{}` included). */
export const message = (json: string, name: string): FieldSpec => ({ json, type: { message: name } });
export const inline = (name: string): FieldSpec => ({ json: '', type: { message: name }, inline: true });

export const strings = (json: string): FieldSpec => ({ json, type: 'string', repeated: true });
export const int32s = (json: string): FieldSpec => ({ json, type: 'int32', repeated: true });
export const int64s = (json: string): FieldSpec => ({ json, type: 'int64', repeated: true });
export const messages = (json: string, name: string): FieldSpec => ({
  json,
  type: { message: name },
  repeated: true,
});

/** `map<string, V>`: repeated entry messages {1: key, 2: value} on the wire, an object in JSON. */
export const map = (json: string, value: ValueType): FieldSpec => ({ json, type: { map: value } });
