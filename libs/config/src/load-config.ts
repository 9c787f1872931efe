import { z } from 'zod';

/** Thrown when the environment does not satisfy an app's schema; the message is one line. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`invalid configuration: ${variable}: ${reason}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses `env` with `schema`. Each schema key is the environment variable's name, so the
 * first issue's path names the variable to fix.
 */
export function parseConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = issue?.path.map(String).join('.') || '(environment)';
  const received =
    issue?.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue?.message;
  throw new ConfigError(variable, received ?? 'invalid');
}

/**
 * For `main.ts`: parse, or print the one-line reason to stderr and exit non-zero before
 * anything else starts.
 */
export function loadConfigOrExit<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  try {
    return parseConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG from sysexits.h
    }
    throw error;
  }
}
