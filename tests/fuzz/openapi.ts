/** The parts of an OpenAPI 3.1 document the fuzzer reads: operations, their parameters and JSON bodies. */

export interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  minProperties?: number;
  maxProperties?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  examples?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  default?: unknown;
}

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  service: string;
  method: string;
  /** The OpenAPI path, e.g. `/cart/{userId}/items/{productId}`. */
  path: string;
  params: Param[];
  /** The JSON request body's schema, when the operation takes one. */
  body?: Schema;
  bodyRequired: boolean;
  /** Declares a bearer token (any role). */
  secured: boolean;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, Schema> };
}

interface OperationObject {
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema; example?: unknown }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  security?: unknown[];
}

const methods = new Set(['get', 'put', 'post', 'delete', 'patch']);

/** Replaces every `$ref` to `#/components/schemas/...` by the schema it names. */
export function resolveRefs(schema: Schema, doc: OpenApiDocument, depth = 0): Schema {
  if (depth > 20) throw new Error('schema nests too deeply (a recursive $ref?)');
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved $ref ${schema.$ref}`);
    return resolveRefs(target, doc, depth + 1);
  }
  const out: Schema = { ...schema };
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolveRefs(v, doc, depth + 1)]));
  if (schema.items) out.items = resolveRefs(schema.items, doc, depth + 1);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = schema[key];
    if (list) out[key] = list.map((s) => resolveRefs(s, doc, depth + 1));
  }
  return out;
}

/** Every operation of a service's OpenAPI document, in document order. */
export function operationsOf(service: string, doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!methods.has(method)) continue;
      const params: Param[] = (op.parameters ?? [])
        .filter((p) => p.in === 'path' || p.in === 'query' || p.in === 'header')
        .map((p) => {
          // OpenAPI 3.0 keeps a parameter's example beside its schema; the generator reads it from the schema.
          const schema = resolveRefs(p.schema ?? {}, doc);
          return {
            name: p.name,
            in: p.in as Param['in'],
            required: p.in === 'path' || p.required === true,
            schema: p.example === undefined ? schema : { ...schema, examples: [p.example] },
          };
        });
      const json = op.requestBody?.content?.['application/json']?.schema;
      operations.push({
        service,
        method: method.toUpperCase(),
        path,
        params,
        ...(json ? { body: resolveRefs(json, doc) } : {}),
        bodyRequired: op.requestBody?.required === true,
        secured: (op.security ?? []).length > 0,
      });
    }
  }
  return operations;
}
