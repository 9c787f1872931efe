import fc from 'fast-check';
import type pg from 'pg';
import { call } from '../http-client.js';
import { SurfaceTally, type SurfaceResult } from './fuzz-result.js';
import { arbitraryFor, pathParamArbitrary, queryArbitrary, type Schema } from './schema-arbitrary.js';
import { changedTables, snapshotTables } from './table-snapshot.js';

export interface RestOperation {
  method: string;
  /** OpenAPI-style template: /admin/tenants/{id}. */
  path: string;
  pathParams: string[];
  query: string[];
  body?: Schema;
  caller: 'admin' | 'tenant';
  /** Never aim at the fixtures' real ids (a DELETE of the fuzz tenant ends the run's use of it). */
  noRealIds?: boolean;
}

export interface RestFuzzTarget {
  baseUrl: string;
  adminKey: string;
  tenantKey: string;
  /** Ids of the fuzz tenant's own objects, so some cases reach real rows. */
  realIds: string[];
  db: pg.Pool;
  /** Whether the process behind baseUrl still runs. */
  alive(): boolean;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string }[];
        requestBody?: { content?: Record<string, { schema?: Schema }> };
      }
    >
  >;
  components?: { schemas?: Record<string, Schema> };
}

/** Routes that act on the shared fleet (nodes) or are not request/response APIs are not fuzzed. */
const SKIPPED = [/^\/health/, /^\/metrics$/, /^\/docs/];

/** Every operation of the gateway's OpenAPI document, with its parameters and body schema. */
export function operationsFromOpenApi(doc: OpenApiDocument): {
  operations: RestOperation[];
  resolve: (ref: string) => Schema | undefined;
} {
  const resolve = (ref: string) => doc.components?.schemas?.[ref.replace('#/components/schemas/', '')];
  const operations: RestOperation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (SKIPPED.some((pattern) => pattern.test(path))) continue;
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params.filter((p) => p.in === 'query').map((p) => p.name),
        body: op.requestBody
          ? (op.requestBody.content?.['application/json']?.schema ?? { type: 'object' })
          : undefined,
        caller: path.startsWith('/admin') ? 'admin' : 'tenant',
        noRealIds: method === 'delete' || path.startsWith('/admin/gpu/nodes'),
      });
    }
  }
  return { operations, resolve };
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * One fixed case per operation with a query: id-like parameters name the fuzz tenant's own
 * objects, range starts are left out, every other one is the largest safe integer, so a range or a limit taken at its
 * word (a loop up to `to`, a `LIMIT` of billions) shows as a timeout every run, not by luck.
 */
function boundaryCase(op: RestOperation, realIds: readonly string[]) {
  const query = Object.fromEntries(
    op.query
      .filter((name) => !/^(from|after)$/.test(name))
      .map((name) => [
        name,
        /id$|^chain$/i.test(name) ? (realIds[0] ?? '') : String(Number.MAX_SAFE_INTEGER),
      ]),
  );
  return { params: op.pathParams.map(() => realIds[0] ?? 'x'), query, body: undefined as unknown };
}

/**
 * Runs `casesPerOperation` generated requests against each operation. Rules: never a 5xx,
 * never a dropped connection or a dead process, and after a refused (4xx) mutating request
 * the watched tables are exactly as before.
 */
export async function fuzzRest(
  surface: string,
  target: RestFuzzTarget,
  operations: readonly RestOperation[],
  resolve: (ref: string) => Schema | undefined,
  casesPerOperation: number,
  seed: number,
): Promise<SurfaceResult> {
  const tally = new SurfaceTally(surface);
  for (const [index, op] of operations.entries()) {
    const caseArb = fc.record({
      params: fc.tuple(...op.pathParams.map(() => pathParamArbitrary(op.noRealIds ? [] : target.realIds))),
      query: queryArbitrary(op.query),
      body: op.body ? arbitraryFor(op.body, resolve) : fc.constant(undefined),
    });
    const cases = fc.sample(caseArb, { numRuns: casesPerOperation, seed: seed + index });
    if (op.query.length) cases.push(boundaryCase(op, target.realIds));
    for (const generated of cases) {
      let path = op.path;
      op.pathParams.forEach((name, i) => {
        path = path.replace(`{${name}}`, encodeURIComponent(generated.params[i] as string));
      });
      const query = new URLSearchParams(generated.query).toString();
      const url = `${target.baseUrl}${path}${query ? `?${query}` : ''}`;
      const key = op.caller === 'admin' ? target.adminKey : target.tenantKey;
      const mutating = MUTATING.has(op.method);
      const before = mutating ? await snapshotTables(target.db) : undefined;
      const result = await call(op.method, url, { key, body: generated.body, timeoutMs: 15_000 });
      tally.count(result.status);
      const input = `${op.method} ${path}${query ? `?${query}` : ''} ${JSON.stringify(generated.body) ?? ''}`;
      const operation = `${op.method} ${op.path}`;
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
  }
  return tally.result;
}

/** The tracker's routes (it publishes no OpenAPI document), with the shapes its README gives. */
export function trackerOperations(): RestOperation[] {
  const num: Schema = { type: 'number' };
  const vec3: Schema = { type: 'array', items: num };
  const camera: Schema = {
    type: 'object',
    properties: {
      id: { type: 'string' },
      width: { type: 'integer' },
      height: { type: 'integer' },
      intrinsics: { type: 'object', properties: { fx: num, fy: num, cx: num, cy: num } },
      distortion: { type: 'object', properties: { k1: num, k2: num, p1: num, p2: num } },
      position: vec3,
      quaternion: { type: 'array', items: num },
      rotation: { type: 'array', items: num },
    },
  };
  const rig: Schema = {
    type: 'object',
    properties: { name: { type: 'string' }, cameras: { type: 'array', items: camera } },
  };
  const stream: Schema = {
    type: 'object',
    properties: {
      name: { type: 'string' },
      rigId: { type: 'string' },
      grid: {
        type: 'object',
        properties: { origin: vec3, dims: { type: 'array', items: { type: 'integer' } }, voxelSize: num },
      },
      parameters: {
        type: 'object',
        properties: {
          motionThreshold: num,
          windowFrames: { type: 'integer' },
          minCameras: { type: 'integer' },
          confirmHits: { type: 'integer' },
          confirmWindow: { type: 'integer' },
          fps: num,
        },
      },
    },
  };
  const frames: Schema = {
    type: 'object',
    properties: {
      t: num,
      cameras: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            indices: { type: 'array', items: { type: 'integer' } },
            weights: { type: 'array', items: num },
          },
        },
      },
    },
  };
  const op = (method: string, path: string, extra: Partial<RestOperation> = {}): RestOperation => ({
    method,
    path,
    pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string),
    query: [],
    caller: 'tenant',
    ...extra,
  });
  return [
    op('POST', '/v1/rigs', { body: rig }),
    op('GET', '/v1/rigs'),
    op('GET', '/v1/rigs/{id}'),
    op('PATCH', '/v1/rigs/{id}', { body: rig }),
    op('DELETE', '/v1/rigs/{id}', { noRealIds: true }),
    op('POST', '/v1/streams', { body: stream }),
    op('GET', '/v1/streams'),
    op('GET', '/v1/streams/{id}'),
    op('PATCH', '/v1/streams/{id}', { body: stream }),
    op('DELETE', '/v1/streams/{id}', { noRealIds: true }),
    op('POST', '/v1/streams/{id}/start'),
    op('POST', '/v1/streams/{id}/pause'),
    op('POST', '/v1/streams/{id}/stop', { noRealIds: true }),
    op('POST', '/v1/streams/{id}/frames', { body: frames }),
    op('GET', '/v1/streams/{id}/tracks', { query: ['from', 'to', 'trackId', 'limit', 'format'] }),
  ];
}
