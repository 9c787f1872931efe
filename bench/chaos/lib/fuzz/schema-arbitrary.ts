import fc from 'fast-check';

/** The part of JSON Schema (as OpenAPI 3 writes it) the fuzzer follows. */
export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  $ref?: string;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
}

/** Values that break naive parsers: huge, negative, non-finite as text, prototype keys. */
const NASTY: fc.Arbitrary<unknown> = fc.constantFrom(
  null,
  '',
  ' ',
  '\u0000',
  '../../etc/passwd',
  "'; DROP TABLE tenants; --",
  '%00',
  'NaN',
  '1e309',
  -1,
  0,
  -0,
  2 ** 53 + 1,
  1e308,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  0.1,
  true,
  [],
  {},
  JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
  { constructor: { prototype: { polluted: true } } },
  'x'.repeat(10_000),
  '𝌆\uD800',
);

const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: NASTY },
);

/**
 * Bodies shaped like the schema (right keys, mostly right types) with wrong values mixed in
 * at every level, so a case gets past the first checks and probes the deeper ones; a third
 * of the time any JSON at all.
 */
export function arbitraryFor(
  schema: Schema | undefined,
  resolve: (ref: string) => Schema | undefined,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return anyJson;
  if (schema.$ref) return arbitraryFor(resolve(schema.$ref), resolve, depth + 1);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => arbitraryFor(s, resolve, depth + 1)));
  if (schema.allOf?.length) return arbitraryFor(schema.allOf[0], resolve, depth + 1);
  const shaped = shapedArbitrary(schema, resolve, depth);
  return fc.oneof({ weight: 5, arbitrary: shaped }, { weight: 1, arbitrary: anyJson });
}

function shapedArbitrary(
  schema: Schema,
  resolve: (ref: string) => Schema | undefined,
  depth: number,
): fc.Arbitrary<unknown> {
  if (schema.enum?.length) return fc.oneof(fc.constantFrom(...schema.enum), fc.string({ maxLength: 12 }));
  switch (schema.type) {
    case 'string':
      return fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.uuid(),
        fc.constantFrom('**', '*', 'sm_90+', 'pro', 'enterprise'),
      );
    case 'integer':
      return fc.oneof(fc.integer(), fc.integer({ min: -2, max: 100 }), fc.double());
    case 'number':
      return fc.oneof(fc.double(), fc.integer({ min: -5, max: 1000 }));
    case 'boolean':
      return fc.oneof(fc.boolean(), fc.constantFrom('true', 0, 1));
    case 'array':
      return fc.array(arbitraryFor(schema.items, resolve, depth + 1), { maxLength: 5 });
    default: {
      const properties = schema.properties ?? {};
      const keys = Object.keys(properties);
      if (keys.length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 4 });
      const record = fc.record(
        Object.fromEntries(keys.map((key) => [key, arbitraryFor(properties[key], resolve, depth + 1)])),
        { requiredKeys: [] },
      );
      // Now and then an unknown field besides the known ones.
      return fc
        .tuple(record, fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), anyJson)))
        .map(([value, extra]) => (extra ? { ...value, [extra[0]]: extra[1] } : value));
    }
  }
}

/** Path segments: a real id of the fuzz tenant, a stranger's uuid, or garbage. */
export function pathParamArbitrary(realIds: readonly string[]): fc.Arbitrary<string> {
  const real = realIds.length ? [fc.constantFrom(...realIds)] : [];
  return fc.oneof(
    ...real,
    fc.uuid(),
    fc.string({ minLength: 1, maxLength: 30 }),
    fc.constantFrom(
      '0',
      '-1',
      'null',
      'undefined',
      '..',
      '%2e%2e',
      'x'.repeat(600),
      '00000000-0000-0000-0000-000000000000',
    ),
  );
}

export function queryArbitrary(names: readonly string[]): fc.Arbitrary<Record<string, string>> {
  const value = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.integer().map(String),
    fc.uuid(),
    fc.constantFrom(
      '',
      '-1',
      '0',
      '1e309',
      'NaN',
      'true',
      'platform',
      '2026-13-45T99:99:99Z',
      'x'.repeat(2_000),
    ),
  );
  if (names.length === 0) return fc.constant({});
  return fc
    .record(Object.fromEntries(names.map((name) => [name, value])), { requiredKeys: [] })
    .map((query) =>
      Object.fromEntries(
        Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
      ),
    );
}
