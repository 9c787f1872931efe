/**
 * Regenerates the console's REST types from the running apps' OpenAPI documents:
 *   npm run console:types -- [--gateway URL] [--tracker URL]
 * (defaults: the embedded stack's ports, `npm start`). Writes apps/console/src/api/generated/.
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_PORTS } from '@voxelfleet/contracts';
import { CONSOLE_API_SOURCES, consoleApiTypesPath, renderConsoleApiTypes } from './render-api-types.js';

const { values } = parseArgs({
  options: {
    gateway: { type: 'string', default: `http://127.0.0.1:${DEFAULT_PORTS.gateway}` },
    tracker: { type: 'string', default: `http://127.0.0.1:${DEFAULT_PORTS.tracker}` },
    root: { type: 'string', default: process.cwd() },
  },
});
const root = resolve(values.root);

for (const source of CONSOLE_API_SOURCES) {
  const url = `${values[source].replace(/\/$/, '')}/docs-json`;
  const answer = await fetch(url);
  if (!answer.ok) {
    console.error(`${url}: ${answer.status} ${answer.statusText}`);
    process.exit(1);
  }
  const file = join(root, consoleApiTypesPath(source));
  await writeFile(file, await renderConsoleApiTypes(source, await answer.json(), root));
  console.log(`wrote ${consoleApiTypesPath(source)} from ${url}`);
}
