import { createHash } from 'node:crypto';
import {
  Inject,
  Injectable,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import { scrubSecrets } from '@voxelfleet/audit';
import type { AuthenticatedRequest } from '@voxelfleet/auth';
import { APP_LOGGER, DATA_SOURCE, DomainError } from '@voxelfleet/platform';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { DataSource } from 'typeorm';

const KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

interface StoredRequest {
  method: string;
  path: string;
  body_sha256: string;
  status: number | null;
  response: unknown;
}

/**
 * Idempotency keys, per principal. The first request with a key reserves it; when it
 * succeeds its status and body are stored and any retry with the same key and body gets
 * them back (`Idempotent-Replayed: true`) without running again. The same key with another
 * body or route answers 422; a retry while the first is still running answers 409. A first
 * request that fails releases the key, so it can be retried.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers['idempotency-key'];
    if (header === undefined || request.principal === undefined) return next.handle();
    return from(this.run(context, next, request, Array.isArray(header) ? header.join(',') : header));
  }

  private async run(
    context: ExecutionContext,
    next: CallHandler,
    request: AuthenticatedRequest,
    key: string,
  ): Promise<unknown> {
    if (!KEY_PATTERN.test(key)) {
      throw new DomainError(
        400,
        'bad_idempotency_key',
        'Idempotency-Key must be 1-128 letters, digits or ._:-',
      );
    }
    const principalId = (request.principal as { id: string }).id;
    const path = request.originalUrl.split('?')[0] ?? request.path;
    const bodySha = createHash('sha256')
      .update(JSON.stringify(request.body ?? null))
      .digest('hex');
    const reserved: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (principal_id, key, method, path, body_sha256) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING key`,
      [principalId, key, request.method, path, bodySha],
    );
    if (reserved.length === 0) {
      const response = context.switchToHttp().getResponse<Response>();
      return this.replay(principalId, key, request.method, path, bodySha, response);
    }
    try {
      const result: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
      // Nest sets the route's status after interceptors; a replay goes through the same route.
      const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? 201;
      // Stored scrubbed: a created API key is shown once, never kept in clear for a replay.
      await this.dataSource.query(
        `UPDATE idempotency_keys SET status = $3, response = $4 WHERE principal_id = $1 AND key = $2`,
        [principalId, key, status, JSON.stringify(scrubSecrets(result ?? null))],
      );
      return result;
    } catch (error) {
      await this.dataSource
        .query(`DELETE FROM idempotency_keys WHERE principal_id = $1 AND key = $2 AND status IS NULL`, [
          principalId,
          key,
        ])
        .catch((err: unknown) => this.logger.error({ err }, 'could not release an idempotency key'));
      throw error;
    }
  }

  private async replay(
    principalId: string,
    key: string,
    method: string,
    path: string,
    bodySha: string,
    response: Response,
  ): Promise<unknown> {
    const rows: StoredRequest[] = await this.dataSource.query(
      `SELECT method, path, body_sha256, status, response FROM idempotency_keys WHERE principal_id = $1 AND key = $2`,
      [principalId, key],
    );
    const stored = rows[0];
    if (stored === undefined) {
      throw new DomainError(
        409,
        'idempotency_conflict',
        'the first request with this Idempotency-Key just failed; retry',
      );
    }
    if (stored.method !== method || stored.path !== path || stored.body_sha256 !== bodySha) {
      throw new DomainError(
        422,
        'idempotency_mismatch',
        'this Idempotency-Key was used with a different request; use a new key',
      );
    }
    if (stored.status === null) {
      throw new DomainError(
        409,
        'idempotency_in_progress',
        'a request with this Idempotency-Key is still running',
      );
    }
    response.setHeader('Idempotent-Replayed', 'true');
    return stored.response;
  }
}

/**
 * A creating POST that honours `Idempotency-Key`: a retry with the same key replays the answer.
 * The interceptor is bound here, on these routes only, not globally: Nest runs a route with
 * no interceptor without its RxJS pipeline (an Observable chain per request), and every other
 * route has no use for it.
 */
export const Idempotent = () => UseInterceptors(IdempotencyInterceptor);
