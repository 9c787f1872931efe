import { randomUUID } from 'node:crypto';
import { Catch, HttpException, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { isDependencyUnavailable } from './dependency-errors.js';

/** A domain error with its own 4xx status and a stable machine-readable code. */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  errorId?: string;
  details?: unknown;
}

/**
 * The one place errors become responses: HTTP and domain errors keep their status and say
 * why; a dependency that is down (Postgres, Redis) is a 503 with Retry-After; anything
 * unexpected is a 500 with an error id that is also in the log, and never a stack trace to
 * the client.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request & { id?: unknown }>();
    const body = this.toBody(exception, request);
    if (response.headersSent) return;
    if (body.error === 'dependency_unavailable') response.setHeader('Retry-After', '1');
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, request: Request & { id?: unknown }): ErrorBody {
    if (exception instanceof DomainError) {
      return {
        statusCode: exception.status,
        error: exception.code,
        message: exception.message,
        details: exception.details,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      if (typeof payload === 'object' && payload !== null) {
        const { message, error } = payload as { message?: string | string[]; error?: string };
        return { statusCode: status, error: error ?? exception.name, message: message ?? exception.message };
      }
      return { statusCode: status, error: exception.name, message: String(payload) };
    }
    if (isBodyParserError(exception)) {
      return { statusCode: exception.status, error: exception.type, message: exception.message };
    }
    const errorId = randomUUID();
    if (isDependencyUnavailable(exception)) {
      // Postgres or Redis is down or restarting: the request was fine, a retry will do.
      this.logger.warn(
        { err: exception, errorId, requestId: request.id, path: request.path },
        'dependency unavailable',
      );
      return {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: 'dependency_unavailable',
        message: 'a dependency of this service is unavailable; retry shortly',
        errorId,
      };
    }
    this.logger.error(
      { err: exception, errorId, requestId: request.id, path: request.path },
      'unhandled error',
    );
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: 'internal_error',
      message: 'an unexpected error occurred; quote the error id when reporting it',
      errorId,
    };
  }
}

/** body-parser's own errors (too large, malformed JSON) carry a 4xx status and a type. */
function isBodyParserError(error: unknown): error is { status: number; type: string; message: string } {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { status?: unknown; type?: unknown };
  return (
    typeof candidate.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500 &&
    typeof candidate.type === 'string'
  );
}
