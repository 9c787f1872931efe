import type { SpawnedApp } from '../../support/spawned-app.js';

/** Lines a healthy run never logs: error level and above, and any failed scheduling pass. */
export function logProblems(app: SpawnedApp): string[] {
  const problems = app
    .logs()
    .filter((line) => Number(line.level) >= 50 || /scheduling pass failed/.test(String(line.msg)))
    .map((line) =>
      `${String(line.level)} ${String(line.msg)} ${JSON.stringify(line.err ?? '')}`.slice(0, 400),
    );
  const stderr = app.stderr.join('').trim();
  return stderr ? [...problems, `stderr: ${stderr.slice(0, 400)}`] : problems;
}

/** SIGTERM, then how long the process took to exit and with what status. */
export async function timedStop(app: SpawnedApp): Promise<{ code: number | null; seconds: number }> {
  const started = Date.now();
  const code = await app.stop('SIGTERM');
  return { code, seconds: (Date.now() - started) / 1000 };
}
