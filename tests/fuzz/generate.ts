import { createValidatorCompiler } from '@shop/platform/http/validation';
import type { Operation, Param, Schema } from './openapi.ts';
import type { Random } from './random.ts';

/**
 * Bad requests for one operation, derived from its OpenAPI schemas: start from a valid request
 * (seeded ids where the schema wants an id) and break one thing at a time, so every field's
 * validation is reached instead of the first error masking the rest.
 */

/** A JSON token written verbatim (`1e999`, `-0`, a lone surrogate): JSON.stringify cannot produce these. */
export class Raw {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}
const OMIT = Symbol('omit');
type Value = unknown;

export interface Case {
  /** What is wrong, e.g. `body.items[0].quantity = 1.005`. */
  label: string;
  method: string;
  /** Path and query, already encoded: sent byte for byte. */
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Send the body chunked, without a content-length. */
  chunked?: boolean;
  /**
   * True when the request might be accepted: the operation's own schemas do not rule it out.
   * False means it must be refused (4xx), and then nothing may be written.
   */
  mayBeValid: boolean;
  /** Send only with this Authorization header (auth cases) instead of as every principal. */
  authorization?: string;
  /** The field or path parameter that holds a well-formed id of nothing (`fa57…`), if any. */
  unknownId?: string;
}

export interface GenerateContext {
  random: Random;
  /** Contained in every generated string and e-mail, so writes caused by the fuzzer are recognisable. */
  marker: string;
  /** A seeded id for a field or path parameter named `name` of operation path `path`, if there is one. */
  realId(path: string, name: string): string | undefined;
  /** Real ids of every kind (a product id where a user id belongs, ...). */
  realIds: string[];
  /** An existing e-mail address (for duplicates). */
  email: string;
  /** Extra, randomly picked bad values per field on top of the fixed core list. */
  extraPerField: number;
  /** Authorization header values that must be refused (garbage, tampered, forged). */
  badAuthorizations: string[];
  bodyLimit: number;
}

/** Unknown but well-formed ids all start with `fa57`, so any write that names one is recognisable. */
export const unknownIdPrefix = 'fa57';
/** An ObjectId in hex (`^[0-9a-fA-F]{24}$`, or lower case only). */
const isObjectId = (schema: Schema) => typeof schema.pattern === 'string' && /^\^\[0-9a-f(A-F)?\]\{24\}\$$/.test(schema.pattern);

const injections: Value[] = [{ $ne: null }, { $gt: '' }, { $where: '1' }];
const moreInjections: Value[] = [{ $regex: '.*' }, { $exists: true }, { $in: [] }, { $expr: { $eq: [1, 1] } }, ['$ne'], { $ne: null, $gt: '' }];
const textInjections = ['{"$ne":null}', '{"$gt":""}', '{"$where":"1"}'];
const unicode = ['ü漢字🙂', '\u202etxt.exe', 'a\u200bb', 'e\u0301\u0301\u0301', '\u0000', 'x\uFFFFy', '🙂'.repeat(300)];
const oddStrings = ['.*', '(', '[', '\\', '$where', "' OR 1=1 --", '../../etc/passwd', '<script>alert(1)</script>', '%s%n', 'null', 'undefined', '__proto__'];

const validator = createValidatorCompiler();
const compile = (schema: Schema, httpPart: 'body' | 'querystring' | 'params' | 'headers') =>
  validator({ schema, httpPart, method: 'POST', url: '/' }) as unknown as (data: unknown) => boolean;

// ---------------------------------------------------------------- valid values

function kindOf(schema: Schema): string {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type) return type;
  if (schema.properties) return 'object';
  if (schema.enum || schema.const !== undefined) return 'enum';
  const branch = schema.anyOf ?? schema.oneOf;
  return branch ? kindOf(branch.find((b) => b.type !== 'null') ?? {}) : 'any';
}

const hints: Record<string, string> = { paymentInfo: 'card', method: 'card', country: 'US', currency: 'USD', postalCode: '12345', phone: '+1 555 0100' };

function fits(text: string, schema: Schema): boolean {
  if (schema.minLength !== undefined && text.length < schema.minLength) return false;
  if (schema.maxLength !== undefined && text.length > schema.maxLength) return false;
  return schema.pattern === undefined || new RegExp(schema.pattern, 'u').test(text);
}

/** A value the schema accepts; ids are seeded ones when the context knows one. */
export function validValue(schema: Schema, name: string, path: string, ctx: GenerateContext): Value {
  const branch = (schema.anyOf ?? schema.oneOf)?.find((b) => b.type !== 'null');
  if (branch) return validValue(branch, name, path, ctx);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  switch (kindOf(schema)) {
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const names = Object.keys(properties).filter((key) => required.has(key));
      for (const key of Object.keys(properties)) if (names.length < (schema.minProperties ?? 0) && !required.has(key)) names.push(key);
      return Object.fromEntries(names.map((key) => [key, validValue(properties[key] as Schema, key, path, ctx)]));
    }
    case 'array':
      return Array.from({ length: Math.max(schema.minItems ?? 0, 1) }, () => validValue(schema.items ?? {}, name, path, ctx));
    case 'integer':
    case 'number': {
      const low = schema.minimum ?? (schema.exclusiveMinimum === undefined ? 1 : schema.exclusiveMinimum + 1);
      const high = schema.maximum ?? Number.MAX_SAFE_INTEGER;
      const wanted = kindOf(schema) === 'number' && schema.format === 'money' ? 1.25 : 1;
      return Math.min(Math.max(wanted, low), high);
    }
    case 'boolean':
      return true;
    case 'string': {
      if (isObjectId(schema)) return ctx.realId(path, name) ?? `${unknownIdPrefix}${ctx.random.hex(20)}`;
      if (schema.format === 'email') return `${ctx.marker}.${ctx.random.hex(8)}@example.com`;
      if (schema.format === 'date-time') return '2030-01-01T00:00:00.000Z';
      const examples = (schema.examples ?? []).filter((e): e is string => typeof e === 'string');
      const candidates = [hints[name], ...examples, `${ctx.marker} ${name}`, `${ctx.marker}-password`, 'card', 'USD', '12345', 'x'];
      const found = candidates.find((c) => c !== undefined && fits(c, schema));
      if (found === undefined) throw new Error(`no valid sample for string ${name} ${JSON.stringify(schema)}`);
      return found;
    }
    default:
      return null;
  }
}

// ---------------------------------------------------------------- bad values per field

interface Mutation {
  label: string;
  value: Value;
}

const show = (value: Value): string => {
  if (value === OMIT) return '(missing)';
  if (value instanceof Raw) return value.text;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 30)}…(${text.length} chars)` : text;
};
const m = (value: Value): Mutation => ({ label: show(value), value });

/** The fixed core of bad values for a field, plus `extraPerField` picked at random from the rest. */
function fieldMutations(schema: Schema, required: boolean, current: Value, ctx: GenerateContext): Mutation[] {
  const core: Value[] = [...injections, null];
  const extra: Value[] = [...moreInjections, ...textInjections];
  if (required) core.push(OMIT);
  const kind = kindOf(schema);
  switch (kind) {
    case 'string': {
      core.push(123, true, [], '');
      extra.push(1.5, {}, ['x'], ' ', ...unicode, ...oddStrings, 'x'.repeat(60_000));
      const tooLong = schema.maxLength === undefined ? 10_000 : schema.maxLength + 1;
      core.push('x'.repeat(tooLong));
      if (isObjectId(schema)) {
        const real = typeof current === 'string' ? current : '';
        // The pattern allows upper case: the same id in capitals must find (or refuse) the same thing.
        core.push('abc', `${unknownIdPrefix}${ctx.random.hex(20)}`, 'z'.repeat(24));
        if (real) core.push(real.toUpperCase());
        extra.push('0'.repeat(23), 'f'.repeat(25), '000000000000000000000000', ` ${real}`, `${real}\n`, ...ctx.realIds.filter((id) => id !== real));
      } else if (schema.format === 'email') {
        core.push('not-an-email', ctx.email.toUpperCase());
        extra.push('a@', '@example.com', `${'a'.repeat(250)}@example.com`, `ü${ctx.marker}@exämple.com`, `${ctx.marker}@example.com\n`, `"a b"@example.com`);
      } else if (schema.enum || schema.const !== undefined) {
        core.push('ADMIN', 'superuser');
      } else {
        core.push(unicode[0]);
      }
      break;
    }
    case 'integer':
    case 'number': {
      core.push('1', {}, -1, 0, 1.5, 1.005, 1e21);
      if (schema.minimum !== undefined) core.push(schema.minimum - 1);
      if (schema.maximum !== undefined) core.push(schema.maximum + 1);
      extra.push('abc', [], [1], 0.5, 19.999, -0.01, 0.001, 1e-7, 1e308, -1e308, Number.MAX_SAFE_INTEGER);
      extra.push(new Raw('1e999'), new Raw('-1e999'), new Raw('-0'), new Raw('1.0'), new Raw('9007199254740993'), new Raw('1E2'), new Raw('0.1e1'));
      break;
    }
    case 'boolean':
      core.push('true', 1);
      break;
    case 'array':
      core.push('x', {}, []);
      extra.push(
        1,
        [null],
        [[]],
        Array.from({ length: (schema.maxItems ?? 1000) + 1 }, () => (Array.isArray(current) ? current[0] : 1)),
      );
      if (Array.isArray(current) && current.length > 0) extra.push([current[0], current[0]]);
      break;
    case 'object':
      core.push('x', [], {}, 1);
      if (current && typeof current === 'object') extra.push({ ...current, extra: 1 }, { ...current, $where: '1' });
      break;
    default:
      core.push({}, 'x');
  }
  return [...core, ...ctx.random.sample(extra, ctx.extraPerField)].map(m);
}

// ---------------------------------------------------------------- JSON text

/** JSON text of `value`, with Raw tokens written verbatim and OMIT-ted keys dropped. */
export function toJson(value: Value): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v) => {
    if (v instanceof Raw) {
      raws.push(v.text);
      return `@@raw${raws.length - 1}@@`;
    }
    return v;
  });
  return text.replace(/"@@raw(\d+)@@"/g, (_all, index) => raws[Number(index)] as string);
}

function setAt(root: Value, path: (string | number)[], value: Value): Value {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, Value>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Value>;
  const last = path.at(-1) as string | number;
  if (value === OMIT) delete node[last];
  else node[last] = value;
  return copy;
}

const fieldName = (path: (string | number)[]) => path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('');

// ---------------------------------------------------------------- whole requests

interface Parts {
  pathValues: Record<string, string>;
  query: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  chunked?: boolean;
}

/** Decides whether the operation's own schemas rule a request out (then it must be refused). */
function checker(op: Operation) {
  const group = (where: Param['in']) => {
    const params = op.params.filter((p) => p.in === where);
    return compile(
      { type: 'object', properties: Object.fromEntries(params.map((p) => [p.name, p.schema])), required: params.filter((p) => p.required).map((p) => p.name) },
      where === 'path' ? 'params' : where === 'query' ? 'querystring' : 'headers',
    );
  };
  const checks = { path: group('path'), query: group('query'), header: group('header') };
  const body = op.body ? compile(op.body, 'body') : undefined;
  return (parts: Parts, limit: number): boolean => {
    try {
      const params = Object.fromEntries(Object.entries(parts.pathValues).map(([k, v]) => [k, decodeURIComponent(v)]));
      if (!checks.path(params)) return false;
      const query: Record<string, string | string[]> = {};
      for (const [k, v] of new URLSearchParams(parts.query)) {
        const seen = query[k];
        query[k] = seen === undefined ? v : [...(Array.isArray(seen) ? seen : [seen]), v];
      }
      if (!checks.query(query)) return false;
      const headers = Object.fromEntries(op.params.filter((p) => p.in === 'header' && p.name in parts.headers).map((p) => [p.name, parts.headers[p.name]]));
      if (!checks.header(headers)) return false;
      if (!body) return true;
      if (parts.body === undefined) return !op.bodyRequired;
      if (Buffer.byteLength(parts.body) > limit) return false;
      // Like Fastify: the media type counts, parameters (charset) are ignored.
      if (!/^application\/json\s*(;.*)?$/i.test(parts.headers['content-type'] ?? '')) return false;
      const text = parts.body.toString();
      if (/"(__proto__|constructor)"\s*:/.test(text)) return false; // Fastify refuses these keys
      return body(JSON.parse(text));
    } catch {
      return false; // bad percent-encoding or JSON
    }
  };
}

/** Every bad request for `op`. Destructive operations (DELETE) never name a seeded resource. */
export function casesFor(op: Operation, ctx: GenerateContext): Case[] {
  const destructive = op.method === 'DELETE';
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const headerParams = op.params.filter((p) => p.in === 'header');
  const real = (name: string) => (destructive ? undefined : ctx.realId(op.path, name));
  const basePath = Object.fromEntries(pathParams.map((p) => [p.name, real(p.name) ?? `${unknownIdPrefix}${ctx.random.hex(20)}`]));
  const baseBody = op.body ? validValue(op.body, 'body', op.path, destructive ? { ...ctx, realId: () => undefined } : ctx) : undefined;
  const json = { 'content-type': 'application/json' };
  // Required query parameters are in every request; each case changes one thing.
  const requiredQuery = (except?: string) =>
    queryParams
      .filter((p) => p.required && p.name !== except)
      .map((p) => `${p.name}=${encodeURIComponent(String(validValue(p.schema, p.name, op.path, ctx)))}`);
  const withRequired = (query: string, except?: string) => [...requiredQuery(except), query].filter((q) => q !== '').join('&');
  const base: Parts = {
    pathValues: basePath,
    query: withRequired(''),
    headers: baseBody === undefined ? {} : json,
    ...(baseBody === undefined ? {} : { body: toJson(baseBody) }),
  };
  const mayBeValid = checker(op);
  if (!mayBeValid(base, ctx.bodyLimit)) throw new Error(`${op.method} ${op.path}: the generated base request is not valid: ${JSON.stringify(base)}`);

  const cases: Case[] = [];
  const isUnknownId = (value: unknown) => typeof value === 'string' && value.length === 24 && value.startsWith(unknownIdPrefix);
  const add = (label: string, change: Partial<Parts>, authorization?: string, unknownId?: string) => {
    const parts = { ...base, ...change };
    const url = op.path.replace(/\{(\w+)\}/g, (_all, name: string) => parts.pathValues[name] ?? '') + (parts.query ? `?${parts.query}` : '');
    cases.push({
      label,
      method: op.method,
      url,
      headers: parts.headers,
      ...(parts.body === undefined ? {} : { body: parts.body }),
      ...(parts.chunked ? { chunked: true } : {}),
      mayBeValid: mayBeValid(parts, ctx.bodyLimit),
      ...(authorization === undefined ? {} : { authorization }),
      ...(unknownId === undefined ? {} : { unknownId }),
    });
  };

  // Path parameters: malformed, injected, unknown and other resources' ids.
  for (const param of pathParams) {
    const current = basePath[param.name] as string;
    const core = ['abc', `${unknownIdPrefix}${ctx.random.hex(20)}`, ...textInjections.map(encodeURIComponent), '%24where', '-1', '1.5'];
    const extra = ['0', 'null', '%20', 'x'.repeat(3000), encodeURIComponent(unicode[0] as string), '..%2F..%2Fetc%2Fpasswd', '%00', '%zz', '%', '1e3'];
    core.push(current.toUpperCase());
    extra.push(`${current}%0A`);
    if (!destructive) extra.push(...ctx.realIds.filter((id) => id !== current));
    for (const value of [...core, ...ctx.random.sample(extra, ctx.extraPerField + 2)]) {
      const label = `path.${param.name} = ${value.length > 40 ? `${value.slice(0, 20)}…(${value.length})` : value}`;
      add(label, { pathValues: { ...basePath, [param.name]: value } }, undefined, isUnknownId(value) ? `path.${param.name}` : undefined);
    }
  }

  // Query parameters: wrong types, out of range, injected, duplicated, unknown.
  for (const param of queryParams) {
    const n = param.name;
    const core = [`${n}=abc`, `${n}=-1`, `${n}=1.5`, `${n}=1&${n}=2`, `${n}[$ne]=x`, `${n}=${encodeURIComponent('{"$ne":null}')}`, `${n}=%24where`];
    const extra = [`${n}=`, `${n}=0`, `${n}=201`, `${n}=1e3`, `${n}=99999999999999999999`, `${n}=${'x'.repeat(5000)}`, `${n}=%zz`, `${n}=NaN`];
    extra.push(`${n}=${encodeURIComponent(unicode[0] as string)}`, `${n}[]=1`, ...textInjections.slice(1).map((t) => `${n}=${encodeURIComponent(t)}`));
    if (isObjectId(param.schema)) core.push(`${n}=${unknownIdPrefix}${ctx.random.hex(20)}`, ...ctx.realIds.slice(0, 3).map((id) => `${n}=${id}`));
    for (const query of [...core, ...ctx.random.sample(extra, ctx.extraPerField + 2)])
      add(`query ${query.length > 50 ? `${query.slice(0, 40)}…` : query}`, { query: withRequired(query, n) });
    if (param.required) add(`query without ${n}`, { query: withRequired('', n) });
  }
  if (queryParams.length > 0 || op.method === 'GET') {
    for (const query of ['zz=1', '%24where=1', 'a[$ne]=1', '__proto__[role]=admin', 'constructor[prototype][role]=admin', 'limit=1&limit=2']) {
      add(`query ${query}`, { query: withRequired(query) });
    }
  }

  // Headers every route reads: a client-chosen request id, trace context.
  const refused = baseBody === undefined ? {} : { body: '{' };
  for (const [header, value] of [
    ['x-request-id', `é${'r'.repeat(2000)}`],
    ['x-request-id', '{"$ne":null}'],
    ['traceparent', '00-zz-zz-zz'],
    ['traceparent', `00-${'0'.repeat(32)}-${'0'.repeat(16)}-01`],
  ] as const) {
    add(`header ${header} = ${show(value)}`, { ...refused, headers: { ...base.headers, [header]: value } });
  }

  // Declared headers (e.g. Idempotency-Key).
  for (const param of headerParams) {
    const tooLong = 'k'.repeat((param.schema.maxLength ?? 1000) + 1);
    for (const value of ['', ' ', tooLong, 'é-key', '{"$ne":null}', '$where']) {
      add(`header ${param.name} = ${show(value)}`, { headers: { ...base.headers, [param.name]: value } });
    }
  }

  // Auth: garbage, tampered and forged tokens must all be 401, whatever the request.
  if (op.secured) for (const authorization of ctx.badAuthorizations) add(`authorization ${authorization.slice(0, 24)}…`, {}, authorization);

  if (!op.body || baseBody === undefined) return cases;
  const bodyJson = toJson(baseBody);

  // The body as a whole: not JSON, not an object, wrong content type, too large, extra fields.
  const malformed = ['{', '{"a":', '{"x" 1}', "{'a':1}", '{"a":1,}', 'nul', '\u0000', bodyJson.slice(0, -1), `${bodyJson}garbage`, '{"a":"\\x"}'];
  for (const text of [...malformed.slice(0, 4), ...ctx.random.sample(malformed.slice(4), 2)]) add(`body malformed JSON ${show(text)}`, { body: text });
  for (const text of ['null', '[]', '"text"', '42', 'true', `[${bodyJson}]`]) add(`body JSON ${show(text)}`, { body: text });
  add('body empty, content-type json', { body: '' });
  add('no body, no content-type', { headers: {}, body: undefined });
  for (const type of [
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'application/json-patch+json',
    'json',
  ]) {
    add(`content-type ${type}`, { headers: { 'content-type': type } });
  }
  add('no content-type, JSON body', { headers: {} });
  const firstString = Object.entries(op.body.properties ?? {}).find(([, s]) => kindOf(s) === 'string')?.[0] ?? 'padding';
  const huge = (bytes: number) => toJson({ ...(baseBody as object), [firstString]: 'x'.repeat(bytes) });
  add(`body of ${ctx.bodyLimit + 1024} bytes`, { body: huge(ctx.bodyLimit + 1024) });
  add(`body of ${ctx.bodyLimit + 1024} bytes, chunked`, { body: huge(ctx.bodyLimit + 1024), chunked: true });
  add('body of 2 MiB', { body: Buffer.from(huge(2 * 1024 * 1024)) });
  const extras: [string, string][] = [
    ['extra field', toJson({ ...(baseBody as object), extra: 1 })],
    ['extra _id', toJson({ ...(baseBody as object), _id: `${unknownIdPrefix}${ctx.random.hex(20)}` })],
    ['extra $where', toJson({ ...(baseBody as object), $where: '1' })],
    ['extra $set', toJson({ ...(baseBody as object), $set: { role: 'admin' } })],
    ['__proto__', `${bodyJson.slice(0, -1)},"__proto__":{"role":"admin"}}`],
    ['constructor.prototype', `${bodyJson.slice(0, -1)},"constructor":{"prototype":{"role":"admin"}}}`],
    ['deeply nested', `${bodyJson.slice(0, -1)},"deep":${'['.repeat(5000)}${']'.repeat(5000)}}`],
    ['duplicate key, injection last', `${bodyJson.slice(0, -1)},"${Object.keys(baseBody as object)[0] ?? 'x'}":{"$ne":null}}`],
  ];
  for (const [label, text] of extras) add(`body ${label}`, { body: text });

  // Every field, nested ones and array items included: missing, null, wrong type, injected,
  // out of range, odd text. `body` is the base body, holding a valid `value` at `at`.
  const walk = (schema: Schema, at: (string | number)[], value: Value, body: Value) => {
    for (const [key, sub] of Object.entries(schema.properties ?? {})) {
      const here = [...at, key];
      const current = (value as Record<string, Value>)[key];
      for (const mutation of fieldMutations(sub, (schema.required ?? []).includes(key), current, ctx)) {
        const unknownId = isUnknownId(mutation.value) ? `body${fieldName(here).replace(/\[\d+\]/g, '[]')}` : undefined;
        add(`body${fieldName(here)} = ${mutation.label}`, { body: toJson(setAt(body, here, mutation.value)) }, undefined, unknownId);
      }
      const present = current ?? validValue(sub, key, op.path, ctx);
      const withIt = current === undefined ? setAt(body, here, present) : body;
      if (kindOf(sub) === 'object') walk(sub, here, present, withIt);
      if (kindOf(sub) === 'array' && sub.items && kindOf(sub.items) === 'object') walk(sub.items, [...here, 0], (present as Value[])[0], withIt);
    }
  };
  walk(op.body, [], baseBody, baseBody);
  return cases;
}
