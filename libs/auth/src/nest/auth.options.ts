import type { ApiKeyAuthenticatorOptions } from './api-key-authenticator.js';

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

export interface AuthOptions extends ApiKeyAuthenticatorOptions {
  /**
   * Path prefixes served without a key although their routes declare nothing (the shared
   * health and metrics controllers, the OpenAPI document). Default: /health, /metrics, /docs.
   */
  operationalPaths: readonly string[];
}

export const DEFAULT_OPERATIONAL_PATHS = ['/health', '/metrics', '/docs', '/docs-json'] as const;
