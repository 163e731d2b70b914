/**
 * The OpenAPI v2 (Swagger 2.0) document in gnostic's protobuf encoding (package openapi.v2,
 * message Document: github.com/google/gnostic-models openapiv2/OpenAPIv2.proto). kubectl asks
 * for this form only: it reads `definitions` to validate objects client side (every `kind: List`
 * apply) and, when the document has paths, to find the patch types of a kind.
 * Field numbers below are those of OpenAPIv2.proto; vendor extensions (`x-*`) travel as YAML
 * text in Any.yaml, which is how gnostic carries them and how kube-openapi reads them back.
 */
import { stringify } from 'yaml';
import { ProtoWriter } from './proto-writer.js';

type Json = Record<string, unknown>;

function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function number(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function flag(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function texts(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

/** openapi.v2.Any: field 2 holds the value as YAML text. */
function writeAny(writer: ProtoWriter, value: unknown): void {
  writer.string(2, stringify(value));
}

/** The `x-*` members of an object as repeated NamedAny{name = 1, value = 2}. */
function writeVendorExtensions(writer: ProtoWriter, field: number, object: Json): void {
  for (const [name, value] of Object.entries(object)) {
    if (!name.startsWith('x-') || value === undefined) continue;
    writer.message(field, (named) => named.string(1, name).message(2, (any) => writeAny(any, value)));
  }
}

function writeSchema(writer: ProtoWriter, schema: Json): void {
  writer
    .string(1, text(schema.$ref))
    .string(2, text(schema.format))
    .string(3, text(schema.title))
    .string(4, text(schema.description));
  if (schema.default !== undefined) writer.message(5, (any) => writeAny(any, schema.default));
  writer
    .double(6, number(schema.multipleOf))
    .double(7, number(schema.maximum))
    .bool(8, flag(schema.exclusiveMaximum))
    .double(9, number(schema.minimum))
    .bool(10, flag(schema.exclusiveMinimum))
    .int64(11, number(schema.maxLength))
    .int64(12, number(schema.minLength))
    .string(13, text(schema.pattern))
    .int64(14, number(schema.maxItems))
    .int64(15, number(schema.minItems))
    .bool(16, flag(schema.uniqueItems))
    .int64(17, number(schema.maxProperties))
    .int64(18, number(schema.minProperties))
    .strings(19, texts(schema.required));
  if (Array.isArray(schema.enum)) for (const value of schema.enum) writer.message(20, (any) => writeAny(any, value));
  // AdditionalPropertiesItem is a oneof: schema = 1 or boolean = 2 (false must still be sent).
  const additional = schema.additionalProperties;
  const additionalSchema = record(additional);
  if (additionalSchema) writer.message(21, (item) => item.message(1, (s) => writeSchema(s, additionalSchema)));
  else if (typeof additional === 'boolean') writer.message(21, (item) => item.bool(2, additional, true));
  const types = texts(schema.type);
  if (types) writer.message(22, (type) => type.strings(1, types));
  // ItemsItem holds repeated Schema = 1: one schema, or a tuple of them.
  const items = Array.isArray(schema.items) ? schema.items : schema.items === undefined ? undefined : [schema.items];
  if (items) {
    writer.message(23, (list) => {
      for (const item of items) list.message(1, (s) => writeSchema(s, record(item) ?? {}));
    });
  }
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf) writer.message(24, (s) => writeSchema(s, record(part) ?? {}));
  }
  const properties = record(schema.properties);
  if (properties) writer.message(25, (props) => writeNamedSchemas(props, properties));
  writer.string(26, text(schema.discriminator)).bool(27, flag(schema.readOnly));
  if (schema.example !== undefined) writer.message(30, (any) => writeAny(any, schema.example));
  writeVendorExtensions(writer, 31, schema);
}

/** Properties and Definitions: repeated NamedSchema{name = 1, value = 2} at field 1. */
function writeNamedSchemas(writer: ProtoWriter, schemas: Json): void {
  for (const [name, schema] of Object.entries(schemas)) {
    writer.message(1, (named) => named.string(1, name).message(2, (s) => writeSchema(s, record(schema) ?? {})));
  }
}

/**
 * The fields a non-body parameter shares; query and formData number them one higher than
 * header and path (they have allow_empty_value = 5 in between).
 */
function writeSimpleParameter(writer: ProtoWriter, parameter: Json, withAllowEmpty: boolean): void {
  const shift = withAllowEmpty ? 1 : 0;
  writer
    .bool(1, flag(parameter.required))
    .string(2, text(parameter.in))
    .string(3, text(parameter.description))
    .string(4, text(parameter.name));
  if (withAllowEmpty) writer.bool(5, flag(parameter.allowEmptyValue));
  writer
    .string(5 + shift, text(parameter.type))
    .string(6 + shift, text(parameter.format))
    .string(8 + shift, text(parameter.collectionFormat));
  if (parameter.default !== undefined) writer.message(9 + shift, (any) => writeAny(any, parameter.default));
  writer.bool(19 + shift, flag(parameter.uniqueItems));
  writeVendorExtensions(writer, 22 + shift, parameter);
}

/** ParametersItem: oneof parameter = 1 (Parameter) or json_reference = 2. */
function writeParametersItem(writer: ProtoWriter, parameter: Json): void {
  const ref = text(parameter.$ref);
  if (ref !== undefined) {
    writer.message(2, (reference) => reference.string(1, ref).string(2, text(parameter.description)));
    return;
  }
  writer.message(1, (oneof) => {
    if (parameter.in === 'body') {
      // Parameter.body_parameter = 1: BodyParameter.
      oneof.message(1, (body) => {
        body
          .string(1, text(parameter.description))
          .string(2, text(parameter.name))
          .string(3, text(parameter.in))
          .bool(4, flag(parameter.required));
        const schema = record(parameter.schema);
        if (schema) body.message(5, (s) => writeSchema(s, schema));
        writeVendorExtensions(body, 6, parameter);
      });
      return;
    }
    // Parameter.non_body_parameter = 2: NonBodyParameter, a oneof by location.
    const slot = { header: 1, formData: 2, query: 3, path: 4 }[text(parameter.in) ?? ''] ?? 3;
    oneof.message(2, (nonBody) =>
      nonBody.message(slot, (sub) => writeSimpleParameter(sub, parameter, slot === 2 || slot === 3)),
    );
  });
}

function writeParameters(writer: ProtoWriter, field: number, parameters: unknown): void {
  if (!Array.isArray(parameters)) return;
  for (const parameter of parameters)
    writer.message(field, (item) => writeParametersItem(item, record(parameter) ?? {}));
}

/** Responses: repeated NamedResponseValue response_code = 1; ResponseValue.response = 1. */
function writeResponses(writer: ProtoWriter, responses: Json): void {
  for (const [code, value] of Object.entries(responses)) {
    const response = record(value) ?? {};
    if (code.startsWith('x-')) continue;
    writer.message(1, (named) =>
      named.string(1, code).message(2, (responseValue) => {
        const ref = text(response.$ref);
        if (ref !== undefined) {
          responseValue.message(2, (reference) => reference.string(1, ref));
          return;
        }
        responseValue.message(1, (out) => {
          out.string(1, text(response.description));
          const schema = record(response.schema);
          // SchemaItem: oneof schema = 1 or file_schema = 2.
          if (schema) out.message(2, (item) => item.message(1, (s) => writeSchema(s, schema)));
          writeVendorExtensions(out, 5, response);
        });
      }),
    );
  }
  writeVendorExtensions(writer, 2, responses);
}

function writeOperation(writer: ProtoWriter, operation: Json): void {
  writer
    .strings(1, texts(operation.tags))
    .string(2, text(operation.summary))
    .string(3, text(operation.description))
    .string(5, text(operation.operationId))
    .strings(6, texts(operation.produces))
    .strings(7, texts(operation.consumes));
  writeParameters(writer, 8, operation.parameters);
  const responses = record(operation.responses);
  if (responses) writer.message(9, (r) => writeResponses(r, responses));
  writer.strings(10, texts(operation.schemes)).bool(11, flag(operation.deprecated));
  writeVendorExtensions(writer, 13, operation);
}

const OPERATION_FIELDS = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 } as const;

function writePathItem(writer: ProtoWriter, item: Json): void {
  writer.string(1, text(item.$ref));
  for (const [method, field] of Object.entries(OPERATION_FIELDS)) {
    const operation = record(item[method]);
    if (operation) writer.message(field, (op) => writeOperation(op, operation));
  }
  writeParameters(writer, 9, item.parameters);
  writeVendorExtensions(writer, 10, item);
}

/** Paths: vendor_extension = 1, repeated NamedPathItem path = 2. */
function writePaths(writer: ProtoWriter, paths: Json): void {
  writeVendorExtensions(writer, 1, paths);
  for (const [path, item] of Object.entries(paths)) {
    if (path.startsWith('x-')) continue;
    writer.message(2, (named) => named.string(1, path).message(2, (p) => writePathItem(p, record(item) ?? {})));
  }
}

/** Encodes a Swagger 2.0 document (as JSON.parse gives it) as an openapi.v2.Document. */
export function encodeOpenApiV2(document: Json): Uint8Array {
  const writer = new ProtoWriter().string(1, text(document.swagger));
  const info = record(document.info);
  if (info) {
    writer.message(2, (out) => {
      out.string(1, text(info.title)).string(2, text(info.version)).string(3, text(info.description));
      writeVendorExtensions(out, 7, info);
    });
  }
  writer
    .string(3, text(document.host))
    .string(4, text(document.basePath))
    .strings(5, texts(document.schemes))
    .strings(6, texts(document.consumes))
    .strings(7, texts(document.produces));
  writer.message(8, (paths) => writePaths(paths, record(document.paths) ?? {}));
  const definitions = record(document.definitions);
  if (definitions) writer.message(9, (out) => writeNamedSchemas(out, definitions));
  writeVendorExtensions(writer, 16, document);
  return writer.finish();
}
