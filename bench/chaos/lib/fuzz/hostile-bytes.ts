import fc from 'fast-check';
import { io } from 'socket.io-client';
import { call, type CallResult } from '../http-client.js';
import { SurfaceTally, type SurfaceResult } from './fuzz-result.js';
import type { RestFuzzTarget, RestOperation } from './rest-fuzz.js';
import type { Schema } from './schema-arbitrary.js';
import { changedTables, snapshotTables } from './table-snapshot.js';

/**
 * The hostile-bytes layer: what schema-shaped values never produce. Every route gets, in
 * every declared string field, NUL, control bytes, unpaired surrogates and a 1 MB string; in
 * every number field 1e308, -0, 2^63, 1e309 and NaN/Infinity as strings; as its body a depth
 * bomb, a huge array, prototype keys, duplicated keys, overlong and invalid UTF-8, and the
 * right body under wrong or missing content types; hostile query values and path ids. Each
 * case must be answered without a 5xx or a dropped connection, a refused case must leave the
 * watched tables as they were, and text Postgres cannot store (NUL, an unpaired surrogate)
 * must be a 400 naming its field. The socket events get the same text and numbers.
 */

/** JSON spellings (escapes kept) of hostile strings; `refused` ones must be 400 naming the field. */
const STRINGS: { name: string; json: string; refused: boolean }[] = [
  { name: 'nul', json: '"a\\u0000b"', refused: true },
  { name: 'lone-high-surrogate', json: '"x\\ud800"', refused: true },
  { name: 'lone-low-surrogate', json: '"\\udc00x"', refused: true },
  { name: 'reversed-pair', json: '"\\udc00\\ud800"', refused: true },
  { name: 'control-bytes', json: '"a\\u0001\\u0007\\u001b[31m\\u007f"', refused: false },
  { name: 'one-megabyte', json: `"${'x'.repeat(1_048_600)}"`, refused: false },
];

const NUMBERS: { name: string; json: string }[] = [
  { name: '1e308', json: '1e308' },
  { name: '1e309', json: '1e309' },
  { name: 'minus-zero', json: '-0' },
  { name: '2^63', json: '9223372036854775808' },
  { name: 'NaN-string', json: '"NaN"' },
  { name: 'Infinity-string', json: '"Infinity"' },
];

interface RawCase {
  name: string;
  data: Uint8Array;
  /** Undefined: no Content-Type header at all. */
  contentType?: string;
  /** A string field this case puts text in that must be refused (400 naming it). */
  refusedField?: string;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Bodies that are hostile whatever the route's schema. */
function structuralCases(): RawCase[] {
  const json = 'application/json';
  const depth = 100_000;
  return [
    { name: 'depth-bomb', data: utf8(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`), contentType: json },
    { name: 'array-bomb', data: utf8(`[${'[0],'.repeat(150_000)}0]`), contentType: json },
    { name: 'huge-array-field', data: utf8(`{"name":[${'0,'.repeat(300_000)}0]}`), contentType: json },
    {
      name: 'prototype-keys',
      data: utf8(
        '{"__proto__":{"isAdmin":true,"roles":["platform-admin"]},"constructor":{"prototype":{"x":1}}}',
      ),
      contentType: json,
    },
    {
      name: 'duplicated-keys',
      data: utf8('{"name":"first","name":"second","name":{"x":1}}'),
      contentType: json,
    },
    {
      name: 'overlong-utf8',
      data: new Uint8Array([...utf8('{"name":"a'), 0xc0, 0xaf, ...utf8('"}')]),
      contentType: json,
    },
    {
      name: 'invalid-utf8',
      data: new Uint8Array([...utf8('{"name":"'), 0xff, 0xfe, ...utf8('"}')]),
      contentType: json,
    },
    {
      name: 'truncated-utf8',
      data: new Uint8Array([...utf8('{"name":"'), 0xe2, 0x82, ...utf8('"}')]),
      contentType: json,
    },
    {
      name: 'utf16-body',
      data: new Uint8Array(Buffer.from('\ufeff{"name":"x"}', 'utf16le')),
      contentType: 'application/json; charset=utf-16le',
    },
    { name: 'latin1-charset', data: utf8('{"name":"x"}'), contentType: 'application/json; charset=latin1' },
    { name: 'text-plain', data: utf8('{"name":"x"}'), contentType: 'text/plain' },
    { name: 'no-content-type', data: utf8('{"name":"x"}') },
    {
      name: 'form-urlencoded',
      data: utf8('name=x&__proto__[admin]=1'),
      contentType: 'application/x-www-form-urlencoded',
    },
    {
      name: 'multipart-on-json',
      data: utf8('--b\r\ncontent-disposition: form-data; name="name"\r\n\r\nx\r\n--b--\r\n'),
      contentType: 'multipart/form-data; boundary=b',
    },
    { name: 'empty-json', data: new Uint8Array(0), contentType: json },
    { name: 'json-null', data: utf8('null'), contentType: json },
    { name: 'json-string', data: utf8('"just a string"'), contentType: json },
  ];
}

/** The top-level properties of a body schema, by JSON type. */
function fieldsOf(schema: Schema | undefined, resolve: (ref: string) => Schema | undefined) {
  const resolved = schema?.$ref ? resolve(schema.$ref) : schema;
  const strings: string[] = [];
  const numbers: string[] = [];
  for (const [name, property] of Object.entries(resolved?.properties ?? {})) {
    const field = property.$ref ? resolve(property.$ref) : property;
    const type = field?.type;
    if (type === 'string' || (field?.enum !== undefined && typeof field.enum[0] === 'string'))
      strings.push(name);
    else if (type === 'number' || type === 'integer') numbers.push(name);
  }
  return { strings, numbers };
}

/** Every hostile body for one operation. */
function bodyCases(op: RestOperation, resolve: (ref: string) => Schema | undefined): RawCase[] {
  const cases = structuralCases();
  const { strings, numbers } = fieldsOf(op.body, resolve);
  // A body with no declared string field still gets hostile text under a plausible name.
  for (const field of strings.length ? strings : ['name']) {
    for (const value of STRINGS) {
      cases.push({
        name: `${field}=${value.name}`,
        data: utf8(`{${JSON.stringify(field)}:${value.json}}`),
        contentType: 'application/json',
        refusedField: value.refused ? field : undefined,
      });
    }
    // Hostile text in a key, nested one level down.
    cases.push({
      name: `${field}.key=nul`,
      data: utf8(`{${JSON.stringify(field)}:{"k\\u0000":"v"}}`),
      contentType: 'application/json',
    });
  }
  for (const field of numbers) {
    for (const value of NUMBERS) {
      cases.push({
        name: `${field}=${value.name}`,
        data: utf8(`{${JSON.stringify(field)}:${value.json}}`),
        contentType: 'application/json',
      });
    }
  }
  return cases;
}

const QUERY_VALUES = ['%00', 'a%00b', '%ED%A0%80', '%C0%AF', '%FF', 'x'.repeat(10_000), '1e309', 'NaN'];
const PATH_VALUES = ['%00', '%ED%A0%80', '%C0%AF', '..%2F..%2Fadmin', 'a'.repeat(4_000)];

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface HostileRequest {
  op: RestOperation;
  name: string;
  url: string;
  raw?: RawCase;
}

/** Every hostile request for the operations, in a fixed order. */
export function hostileRequests(
  baseUrl: string,
  operations: readonly RestOperation[],
  resolve: (ref: string) => Schema | undefined,
  realIds: readonly string[],
): HostileRequest[] {
  const requests: HostileRequest[] = [];
  for (const op of operations) {
    const id = op.noRealIds ? '00000000-0000-4000-8000-000000000000' : (realIds[0] ?? 'x');
    const path = (value: string) => op.pathParams.reduce((p, name) => p.replace(`{${name}}`, value), op.path);
    const plain = `${baseUrl}${path(encodeURIComponent(id))}`;
    if (op.body !== undefined) {
      for (const raw of bodyCases(op, resolve)) requests.push({ op, name: raw.name, url: plain, raw });
    }
    for (const name of op.query)
      for (const value of QUERY_VALUES)
        requests.push({ op, name: `?${name}=${value.slice(0, 12)}`, url: `${plain}?${name}=${value}` });
    if (op.pathParams.length)
      for (const value of PATH_VALUES)
        requests.push({ op, name: `path=${value.slice(0, 12)}`, url: `${baseUrl}${path(value)}` });
  }
  return requests;
}

/** The field a 400 names: its message (or messages) mention it. */
function namesField(result: CallResult, field: string): boolean {
  const message = (result.body as { message?: unknown } | undefined)?.message;
  const text = Array.isArray(message) ? message.join(' ') : typeof message === 'string' ? message : '';
  return text.includes(field);
}

/**
 * Sends the hostile requests (all of them, or `limit` picked with `seed`, the CI subset)
 * and checks each: no 5xx, no dropped connection, nothing changed by a refusal, and text
 * Postgres cannot store refused with a 400 naming its field.
 */
export async function fuzzHostileBytes(
  surface: string,
  target: RestFuzzTarget,
  requests: readonly HostileRequest[],
  limit: number | undefined,
  seed: number,
): Promise<SurfaceResult> {
  const tally = new SurfaceTally(surface);
  const chosen =
    limit === undefined || limit >= requests.length
      ? requests
      : (fc.sample(fc.shuffledSubarray([...requests], { minLength: limit, maxLength: limit }), {
          numRuns: 1,
          seed,
        })[0] ?? []);
  for (const request of chosen) {
    const { op, raw } = request;
    const key = op.caller === 'admin' ? target.adminKey : target.tenantKey;
    const mutating = MUTATING.has(op.method);
    const before = mutating ? await snapshotTables(target.db) : undefined;
    const result = await call(op.method, request.url, {
      key,
      ...(raw ? { raw: { data: raw.data, contentType: raw.contentType } } : {}),
      timeoutMs: 20_000,
    });
    tally.count(result.status);
    const operation = `${op.method} ${op.path}`;
    const input = `${op.method} ${request.url.slice(0, 200)} [${request.name}]`;
    if (result.status >= 500)
      tally.find({
        operation,
        rule: 'no-5xx',
        detail: `${result.status} ${result.text.slice(0, 200)}`,
        input,
      });
    if (result.status === 0)
      tally.find({ operation, rule: 'no-crash', detail: result.error ?? 'no answer', input });
    if (!target.alive()) {
      tally.find({ operation, rule: 'no-crash', detail: 'the process exited', input });
      return tally.result;
    }
    if (raw?.refusedField !== undefined && result.status !== 413) {
      if (result.status !== 400 || !namesField(result, raw.refusedField))
        tally.find({
          operation,
          rule: 'expected-refusal',
          detail: `${result.status}, expected 400 naming ${raw.refusedField}: ${result.text.slice(0, 200)}`,
          input,
        });
    }
    if (before && result.status >= 400 && result.status < 500) {
      const changed = changedTables(before, await snapshotTables(target.db));
      if (changed.length)
        tally.find({
          operation,
          rule: 'no-change-on-refusal',
          detail: `${result.status}; changed: ${changed.join(', ')}`,
          input,
        });
    }
  }
  return tally.result;
}

/**
 * The same text and numbers on the socket: subscribe/unsubscribe stream ids and frame times,
 * and handshake tokens. Every ack must be `{ ok: false }` with a 4xx (or no status) and the
 * tracker must stay up; a hostile token never connects.
 */
export async function fuzzHostileSocket(
  trackerUrl: string,
  tenantKey: string,
  streamId: string,
  alive: () => boolean,
): Promise<SurfaceResult> {
  const tally = new SurfaceTally('socket.io-hostile');
  const texts = ['a\u0000b', 'x\ud800', '\udc00', 'a\u0001\u001b', 'x'.repeat(1_048_600)];
  const socket = io(`${trackerUrl}/tracks`, {
    transports: ['websocket'],
    auth: { token: tenantKey },
    reconnection: false,
  });
  const connected = await new Promise<string>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (error: Error) => resolve(error.message));
  });
  if (connected !== 'connected') {
    // Without a connection no message can be judged: say why instead of timing each out.
    tally.count(0);
    tally.find({
      operation: 'handshake',
      rule: 'no-crash',
      detail: `the tenant key could not connect: ${connected}`,
      input: '',
    });
    socket.close();
    return tally.result;
  }
  const messages: [string, unknown][] = [
    ...texts.flatMap((text): [string, unknown][] => [
      ['subscribe', { streamId: text }],
      ['unsubscribe', { streamId: text }],
      ['frames', { streamId: text, t: 1, images: [] }],
      ['subscribe', text],
    ]),
    ...[1e308, -0, 9223372036854775808, Number.NaN, 'Infinity', '1e309'].map((t): [string, unknown] => [
      'frames',
      { streamId, t, images: [Buffer.alloc(4)] },
    ]),
    ['subscribe', { streamId, __proto__: { admin: true } }],
  ];
  for (const [event, payload] of messages) {
    const input = `${event} ${JSON.stringify(payload)?.slice(0, 120) ?? String(payload)}`;
    let ack: unknown;
    try {
      ack = await socket.timeout(10_000).emitWithAck(event, payload);
    } catch (error) {
      tally.count(0);
      tally.find({
        operation: event,
        rule: 'no-crash',
        detail: `no ack: ${(error as Error).message}`,
        input,
      });
      continue;
    }
    const reply = ack as { ok?: unknown; status?: unknown };
    const status = typeof reply.status === 'number' ? reply.status : reply.ok === true ? 200 : 400;
    tally.count(status);
    if (status >= 500)
      tally.find({ operation: event, rule: 'no-5xx', detail: JSON.stringify(ack).slice(0, 200), input });
    if (!alive()) {
      tally.find({ operation: event, rule: 'no-crash', detail: 'the tracker exited', input });
      break;
    }
  }
  socket.close();
  for (const text of texts.slice(0, 3)) {
    const bad = io(`${trackerUrl}/tracks`, {
      transports: ['websocket'],
      auth: { token: `${tenantKey}${text}` },
      reconnection: false,
    });
    const outcome = await new Promise<string>((resolve) => {
      bad.once('connect', () => resolve('connected'));
      bad.once('connect_error', (error: Error) => resolve(error.message));
    });
    bad.close();
    tally.count(outcome === 'connected' ? 200 : 401);
    if (outcome === 'connected')
      tally.find({
        operation: 'handshake',
        rule: 'expected-refusal',
        detail: 'a hostile token connected',
        input: JSON.stringify(text),
      });
  }
  return tally.result;
}
