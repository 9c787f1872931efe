import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

/** The body of every error answer (libs/platform exception.filter.ts writes it). */
export class ApiErrorBody {
  @ApiProperty({ type: 'integer', example: 404, description: 'The HTTP status, repeated' })
  statusCode!: number;

  @ApiProperty({
    example: 'not_found',
    description: 'A stable machine-readable code (not_found, forbidden, conflict, Bad Request, ...)',
  })
  error!: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'tenant 7d7c... not found',
    description: 'Why, naming the field where one is at fault; validation errors give one line per field',
  })
  message!: string | string[];

  @ApiPropertyOptional({
    format: 'uuid',
    description: '500 and 503 only: the id of the log line to quote when reporting it',
  })
  errorId?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Some domain errors only: structured detail (e.g. the edition ceiling, workflow errors)',
  })
  details?: Record<string, unknown>;
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
};

/** One line per status; a route may say more about its own case with [status, description]. */
const DEFAULT_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'Validation failed: the message names the field (unknown fields are refused too)',
  401: 'No API key, or a key that is unknown, revoked, expired or of a disabled principal',
  403: 'The key lacks the permission this route needs',
  404: "Not found, or another tenant's object (the same answer, so ids cannot be probed)",
  409: 'Conflict with the current state',
  413: 'Request body over 1 MB',
  415: 'A body that is not application/json (nothing is read or changed)',
  422: 'Well-formed but refused by policy',
  429: 'Rate limited for this key and route; retry after Retry-After seconds',
  503: 'Postgres or Redis is unavailable; retry after Retry-After seconds',
};

const WITH_RETRY_AFTER: ReadonlySet<ErrorStatus> = new Set([429, 503]);

export type ErrorSpec = ErrorStatus | readonly [ErrorStatus, string];

/**
 * Documents the error answers a route can give, all with the one error body. A status named
 * twice gets both descriptions. Metadata only: read once when the OpenAPI document is built,
 * never per request.
 */
export function ApiErrors(...specs: readonly ErrorSpec[]) {
  const byStatus = new Map<ErrorStatus, string[]>();
  // A route that reads a body (413) refuses one in another media type too (libs/platform body-contract).
  const all = specs.some((spec) => spec === 413) ? [...specs, 415 as const] : specs;
  for (const spec of all) {
    const [status, description] = typeof spec === 'number' ? [spec, DEFAULT_DESCRIPTIONS[spec]] : spec;
    const lines = byStatus.get(status) ?? [];
    if (!lines.includes(description)) lines.push(description);
    byStatus.set(status, lines);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, lines]) =>
      ApiResponse({
        status,
        description: lines
          .map((line, i) => (i === 0 ? line : line.charAt(0).toLowerCase() + line.slice(1)))
          .join('; or '),
        type: ApiErrorBody,
        ...(WITH_RETRY_AFTER.has(status) ? { headers: RETRY_AFTER } : {}),
      }),
    ),
  );
}

/**
 * What every authenticated route can answer before its handler runs: 401 and 403 from the
 * auth guard, 429 from the rate limiter, 503 when the key lookup cannot reach Postgres.
 */
export function ApiAuthErrors(...more: readonly ErrorSpec[]) {
  return ApiErrors(401, 403, 429, 503, ...more);
}

/** An @Idempotent() route: a bad key is 400, a key reused for another request 422, one still running 409. */
export const IDEMPOTENCY_ERRORS: readonly ErrorSpec[] = [
  [400, 'An Idempotency-Key that is not 1-128 of [A-Za-z0-9._:-]'],
  [409, 'A request with this Idempotency-Key is still running, or the first one just failed; retry'],
  [422, 'This Idempotency-Key was used with a different request'],
];
