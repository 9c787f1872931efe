import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateApiKey } from '@voxelfleet/auth';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestDatabase } from '../../support/database.js';
import { testRedisUrl } from '../../support/env.js';
import { SpawnedApp } from '../../support/spawned-app.js';

export const ARTIFACTS = resolve(import.meta.dirname, '../../../test-artifacts/console');

/** Debian's Chromium, headless, with a fresh profile per launch (playwright's default). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

export interface ConsoleStack {
  gatewayUrl: string;
  trackerUrl: string;
  adminKey: string;
  process: SpawnedApp;
  stop(): Promise<void>;
}

/**
 * The built single-process stack (gateway, scheduler, gpu-node, tracker) on a database of
 * its own and the real Redis, with a known platform-admin key. The gateway serves the
 * console's production build from dist/console.
 */
export async function startConsoleStack(label: string, basePort: number): Promise<ConsoleStack> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const database = await createTestDatabase(label);
  const adminKey = generateApiKey().key;
  const stack = SpawnedApp.start('dist/apps/stack/src/main.js', {
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: `vf-e2e-${label}-${process.pid}`,
    GATEWAY_PORT: String(basePort),
    SCHEDULER_PORT: String(basePort + 1),
    GPU_NODE_PORT: String(basePort + 2),
    TRACKER_PORT: String(basePort + 3),
    BOOTSTRAP_ADMIN_KEY: adminKey,
    LOG_LEVEL: 'warn',
  });
  try {
    await stack.waitForLine(/^ {2}OpenAPI/, 60_000);
  } catch (error) {
    await stack.stop('SIGKILL');
    await database.drop();
    throw error;
  }
  return {
    gatewayUrl: `http://127.0.0.1:${basePort}`,
    trackerUrl: `http://127.0.0.1:${basePort + 3}`,
    adminKey,
    process: stack,
    async stop() {
      await stack.stop('SIGTERM');
      await database.drop();
    },
  };
}

/** Opens the console and signs in with `key` through the form, as a person would. */
export async function signIn(page: Page, gatewayUrl: string, key: string): Promise<void> {
  await page.goto(`${gatewayUrl}/console/`);
  await page.getByTestId('api-key').fill(key);
  await page.getByTestId('sign-in').click();
  await page.getByTestId('who').waitFor();
}

/** JSON over fetch with a bearer key; throws with the answer on an unexpected status. */
export async function api<T>(
  base: string,
  key: string,
  method: string,
  path: string,
  body?: unknown,
  expected = [200, 201, 202],
): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!expected.includes(response.status)) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}
