import { join } from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';

/** The OpenAPI documents the console reads, by the app that serves each at /docs-json. */
export const CONSOLE_API_SOURCES = ['gateway', 'tracker'] as const;
export type ConsoleApiSource = (typeof CONSOLE_API_SOURCES)[number];

/** Where the console's generated types for an app live, relative to the repository root. */
export function consoleApiTypesPath(source: ConsoleApiSource): string {
  return join('apps', 'console', 'src', 'api', 'generated', `${source}-api.ts`);
}

/**
 * The TypeScript types of one app's OpenAPI document (its paths and component schemas), as
 * the console imports them: what the app's routes answer, never a hand-written copy. The
 * text is formatted as the repository formats TypeScript, so a regenerated file that is
 * unchanged is byte for byte the file committed.
 */
export async function renderConsoleApiTypes(
  source: ConsoleApiSource,
  document: unknown,
  repositoryRoot: string,
): Promise<string> {
  const ast = await openapiTS(document as OpenAPI3, { alphabetize: true });
  const header = [
    `// The ${source}'s REST types, generated from its OpenAPI document (/docs-json); do not edit.`,
    '// Regenerate with `npm run console:types` against running apps; an e2e test checks it is current.',
    '',
  ].join('\n');
  const filepath = join(repositoryRoot, consoleApiTypesPath(source));
  const options = (await resolveConfig(filepath)) ?? {};
  return format(header + astToString(ast), { ...options, filepath });
}
