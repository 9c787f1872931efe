import type { RequestLimitOptions } from '../rate-limit/request-limits.js';
import type { ApiKeyAuthenticatorOptions } from './api-key-authenticator.js';

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');
/** The app's RequestLimits, or null when it runs without rate limits. */
export const REQUEST_LIMITS = Symbol('REQUEST_LIMITS');

export interface AuthOptions extends ApiKeyAuthenticatorOptions {
  /**
   * Path prefixes served without a key although their routes declare nothing (the shared
   * health and metrics controllers, the OpenAPI document). Default: /health, /metrics, /docs.
   */
  operationalPaths: readonly string[];
  /**
   * Per-key limits on every authenticated route and socket event, and per-address limits on
   * failed authentications (RequestLimits); none when left out. Shared through Redis by every
   * instance when it names one (redisUrl), else per process.
   */
  rateLimit?: RequestLimitOptions;
}

export const DEFAULT_OPERATIONAL_PATHS = ['/health', '/metrics', '/docs', '/docs-json'] as const;
