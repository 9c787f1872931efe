import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CONSOLE_API_SOURCES,
  consoleApiTypesPath,
  renderConsoleApiTypes,
  type ConsoleApiSource,
} from '../../scripts/console-api-types/render-api-types.js';
import { startGateway, type GatewayHarness } from '../gateway/support/gateway-harness.js';
import { startTracker, type TrackerHarness } from '../tracker/support/tracker-harness.js';

const ROOT = process.cwd();
const ARTIFACTS = join(ROOT, 'test-artifacts', 'console-api-types');

/**
 * The console's REST types are generated from the built gateway's and tracker's OpenAPI
 * documents (scripts/console-api-types); this fails when a route's documented answer changed
 * and the committed types were not regenerated. The fresh rendering is left in
 * test-artifacts/console-api-types/; CONSOLE_API_TYPES_WRITE=1 writes it in place instead.
 */
describe('console REST types', () => {
  let gateway: GatewayHarness;
  let tracker: TrackerHarness;

  beforeAll(async () => {
    [gateway, tracker] = await Promise.all([
      startGateway('console_types_gateway', 4610),
      startTracker('console_types_tracker', 4611),
    ]);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), tracker?.stop()]);
  });

  it.each(CONSOLE_API_SOURCES)(
    'are current with the %s OpenAPI document',
    async (source: ConsoleApiSource) => {
      const url = source === 'gateway' ? gateway.url : tracker.url;
      const document: unknown = await (await fetch(`${url}/docs-json`)).json();
      const fresh = await renderConsoleApiTypes(source, document, ROOT);
      const file = consoleApiTypesPath(source);
      if (process.env.CONSOLE_API_TYPES_WRITE === '1') writeFileSync(join(ROOT, file), fresh);
      const committed = readFileSync(join(ROOT, file), 'utf8');
      if (committed !== fresh) {
        const artifact = join(ARTIFACTS, file);
        mkdirSync(dirname(artifact), { recursive: true });
        writeFileSync(artifact, fresh);
      }
      expect({ file, current: committed === fresh }).toEqual({ file, current: true });
    },
  );
});
