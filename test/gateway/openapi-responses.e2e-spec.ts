import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { signedKernelBody } from './support/kernel-fixture.js';
import {
  heartbeat,
  seedPrincipal,
  seedTenant,
  startGateway,
  type GatewayHarness,
} from './support/gateway-harness.js';

const GiB = 2 ** 30;

interface Schema {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
}

interface Operation {
  security?: unknown[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/**
 * The OpenAPI document describes answers, not only requests: every operation has its
 * success answer and the errors it can give, and for the core resources the documented
 * schema matches what the route really sends.
 */
describe('gateway OpenAPI responses', () => {
  let gw: GatewayHarness;
  let docs: OpenApiDocument;
  let admin: string;
  let tenantId: string;

  const as = (key: string) => ({
    get: (path: string) => request(gw.url).get(path).set('authorization', `Bearer ${key}`),
    post: (path: string, body?: object) =>
      request(gw.url).post(path).set('authorization', `Bearer ${key}`).send(body),
  });

  beforeAll(async () => {
    gw = await startGateway('oa_docs', 4340);
    admin = (await seedPrincipal(gw.db, { tenantId: null, roles: ['platform-admin'], name: 'root' })).key;
    tenantId = await seedTenant(gw.db, 'oa-docs', 'enterprise');
    docs = (await request(gw.url).get('/docs-json').expect(200)).body as OpenApiDocument;
  });

  afterAll(async () => {
    await gw.stop();
  });

  const operations = () =>
    Object.entries(docs.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        name: `${method.toUpperCase()} ${path}`,
        operation,
      })),
    );

  it('documents a success answer and the auth and validation errors of every operation', () => {
    const missing: string[] = [];
    const all = operations();
    expect(all.length).toBeGreaterThanOrEqual(39);
    for (const { name, operation } of all) {
      const statuses = Object.keys(operation.responses);
      if (!statuses.some((s) => /^2\d\d$/.test(s))) missing.push(`${name}: no 2xx`);
      // Health and metrics are open and answer their own bodies; every other route needs a key.
      const authenticated = operation.security !== undefined && operation.security.length > 0;
      if (authenticated) {
        for (const s of ['401', '403', '429', '503'])
          if (!statuses.includes(s)) missing.push(`${name}: no ${s}`);
      }
      if (operation.requestBody !== undefined) {
        for (const s of ['400', '413', '415']) if (!statuses.includes(s)) missing.push(`${name}: no ${s}`);
      }
      for (const status of statuses.filter((s) => authenticated && /^[45]\d\d$/.test(s))) {
        const schema = operation.responses[status]?.content?.['application/json']?.schema;
        if (schema?.$ref !== '#/components/schemas/ApiErrorBody')
          missing.push(`${name}: ${status} is not the error body`);
      }
    }
    expect(missing).toEqual([]);
    expect(docs.components.schemas.ApiErrorBody?.required).toEqual(
      expect.arrayContaining(['statusCode', 'error', 'message']),
    );
  });

  it('documents the NDJSON export with its content type', () => {
    const ok = docs.paths['/admin/audit/export']?.get?.responses['200'];
    expect(Object.keys(ok?.content ?? {})).toContain('application/x-ndjson');
  });

  it('describes what the core routes really answer', async () => {
    const created = await as(admin)
      .post('/admin/tenants', { name: 'oa-created', edition: 'pro' })
      .expect(201);
    expectMatches('POST /admin/tenants', '201', created.body);
    expectMatches(
      'GET /admin/tenants/{id}',
      '200',
      (await as(admin).get(`/admin/tenants/${tenantId}`).expect(200)).body,
    );
    expectMatches('GET /admin/tenants', '200', (await as(admin).get('/admin/tenants').expect(200)).body);

    const quota = await as(admin).get(`/v1/quota?tenantId=${tenantId}`).expect(200);
    expectMatches('GET /v1/quota', '200', quota.body);
    expectMatches('GET /v1/me', '200', (await as(admin).get('/v1/me').expect(200)).body);

    const principal = await as(admin)
      .post('/admin/principals', { tenantId, kind: 'service', name: 'oa-svc', roles: ['tenant-member'] })
      .expect(201);
    expectMatches('POST /admin/principals', '201', principal.body);
    const key = await as(admin)
      .post(`/admin/principals/${principal.body.id}/keys`, { label: 'oa' })
      .expect(201);
    expectMatches('POST /admin/principals/{id}/keys', '201', key.body);
    expectMatches(
      'GET /admin/principals/{id}',
      '200',
      (await as(admin).get(`/admin/principals/${principal.body.id}`).expect(200)).body,
    );
    const grant = await as(admin)
      .post('/admin/grants', {
        principalId: principal.body.id,
        kernels: ['**'],
        deviceClasses: ['*'],
        cpuFallback: false,
      })
      .expect(201);
    expectMatches('POST /admin/grants', '201', grant.body);
    // With a grant, /v1/me lists it and names the tenant.
    expectMatches('GET /v1/me', '200', (await as(key.body.key).get('/v1/me').expect(200)).body);

    await gw.transport.publish('node.heartbeat', heartbeat('oa-node', { byTenant: { [tenantId]: GiB } }));
    const nodes = await eventually(async () => {
      const answer = await as(admin).get('/admin/gpu/nodes').expect(200);
      expect(answer.body.nodes.length).toBeGreaterThan(0);
      return answer.body as unknown;
    });
    expectMatches('GET /admin/gpu/nodes', '200', nodes);
    expectMatches('GET /admin/gpu/stats', '200', (await as(admin).get('/admin/gpu/stats').expect(200)).body);
    expectMatches(
      'GET /admin/gpu/tenants',
      '200',
      (await as(admin).get('/admin/gpu/tenants').expect(200)).body,
    );
    const drained = await as(admin).post('/admin/gpu/nodes/oa-node/cordon', { reason: 'docs' }).expect(200);
    expectMatches('POST /admin/gpu/nodes/{id}/cordon', '200', drained.body);
    await as(admin).post('/admin/gpu/nodes/oa-node/uncordon', {}).expect(200);

    const simulated = await as(admin)
      .post('/admin/gpu/simulate', { tenantId, vramBytesPerDevice: GiB, gpus: 1, priority: 'normal' })
      .expect(200);
    expectMatches('POST /admin/gpu/simulate', '200', simulated.body);

    const job = await as(key.body.key)
      .post('/v1/jobs', { kernel: 'noop', priority: 'normal', vramBytes: GiB })
      .expect(201);
    expectMatches('POST /v1/jobs', '201', job.body);
    expectMatches('GET /v1/jobs', '200', (await as(admin).get('/v1/jobs').expect(200)).body);
    const workflow = await as(key.body.key)
      .post('/v1/workflows', {
        name: 'oa-flow',
        steps: [
          { key: 'a', kernel: 'noop', priority: 'normal' },
          { key: 'b', kernel: 'noop', priority: 'normal', dependsOn: [{ step: 'a' }] },
        ],
      })
      .expect(201);
    expectMatches('POST /v1/workflows', '201', workflow.body);

    const kernel = await as(admin).post(
      '/admin/gpu/kernels',
      signedKernelBody('oa.scale', 'oa-key-1', tenantId),
    );
    expect(kernel.status).toBe(201);
    expectMatches('POST /admin/gpu/kernels', '201', kernel.body);
    expectMatches(
      'GET /admin/gpu/kernels',
      '200',
      (await as(admin).get('/admin/gpu/kernels').expect(200)).body,
    );

    const page = await as(admin).get(`/admin/audit?tenantId=${tenantId}&limit=2`).expect(200);
    expect(page.body.entries.length).toBe(2);
    expectMatches('GET /admin/audit', '200', page.body);
    expectMatches(
      'GET /admin/audit/verify',
      '200',
      (await as(admin).get('/admin/audit/verify').expect(200)).body,
    );

    const refused = await as(admin).get('/admin/tenants/00000000-0000-4000-8000-000000000000').expect(404);
    expectMatches('GET /admin/tenants/{id}', '404', refused.body);
  });

  /** Checks a real answer against the documented schema: required fields, types, no undocumented field. */
  function expectMatches(operation: string, status: string, body: unknown): void {
    const [method, path] = operation.split(' ') as [string, string];
    const schema =
      docs.paths[path]?.[method.toLowerCase()]?.responses[status]?.content?.['application/json']?.schema;
    expect({ operation, documented: schema !== undefined }).toEqual({ operation, documented: true });
    expect({ operation, problems: problemsOf(schema as Schema, body, '$') }).toEqual({
      operation,
      problems: [],
    });
  }

  function resolve(schema: Schema): Schema {
    if (schema.$ref) return resolve(docs.components.schemas[schema.$ref.split('/').pop() ?? ''] ?? {});
    if (schema.allOf) {
      const parts = schema.allOf.map(resolve);
      // A nullable or described reference is { nullable, allOf: [$ref] }: keep the outer flags.
      return {
        type: 'object',
        ...(schema.nullable === true ? { nullable: true } : {}),
        properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
        required: parts.flatMap((p) => p.required ?? []),
      };
    }
    return schema;
  }

  function problemsOf(raw: Schema, value: unknown, at: string): string[] {
    const schema = resolve(raw);
    if (value === null) return schema.nullable === true ? [] : [`${at}: null but not nullable`];
    if (schema.oneOf) {
      return schema.oneOf.some((option) => problemsOf(option, value, at).length === 0)
        ? []
        : [`${at}: matches none of oneOf`];
    }
    if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in enum`];
    const actual = Array.isArray(value) ? 'array' : typeof value;
    const expected = schema.type ?? (schema.properties ? 'object' : undefined);
    if (expected === 'integer' || expected === 'number') {
      return typeof value === 'number' ? [] : [`${at}: ${actual}, documented ${expected}`];
    }
    if (expected !== undefined && expected !== actual) return [`${at}: ${actual}, documented ${expected}`];
    if (expected === 'array' && schema.items) {
      return (value as unknown[])
        .slice(0, 3)
        .flatMap((item, i) => problemsOf(schema.items as Schema, item, `${at}[${i}]`));
    }
    if (expected !== 'object' || !schema.properties) return [];
    const object = value as Record<string, unknown>;
    const problems = (schema.required ?? [])
      .filter((name) => !(name in object))
      .map((name) => `${at}.${name}: required, missing`);
    for (const [name, field] of Object.entries(object)) {
      const documented = schema.properties[name];
      if (documented) problems.push(...problemsOf(documented, field, `${at}.${name}`));
      else if (schema.additionalProperties === undefined || schema.additionalProperties === false)
        problems.push(`${at}.${name}: sent but not documented`);
    }
    return problems;
  }
});

async function eventually<T>(check: () => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
