import {
  BadRequestException,
  Injectable,
  SetMetadata,
  UnsupportedMediaTypeException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { PARAMTYPES_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Observable } from 'rxjs';

const CONSUMES = 'voxelfleet:consumes';
const OPTIONAL_BODY = 'voxelfleet:optional-body';

/** The media types a route reads its body in; without this, `application/json` only. */
export const ConsumesBody = (...types: string[]) => SetMetadata(CONSUMES, types);

/**
 * A route whose body DTO only holds optional remarks (a reason) and that is complete without
 * one: it may be sent with no body at all. Every other route with a body DTO needs a body.
 */
export const OptionalBody = () => SetMetadata(OPTIONAL_BODY, true);

const JSON_ONLY: readonly string[] = ['application/json'];

/** Set by the JSON parser's verify hook: how many bytes the body had on the wire. */
export const BODY_BYTES = Symbol('voxelfleet.bodyBytes');

interface RouteBodyRules {
  consumes: readonly string[];
  /** Whether a request with no body is refused (the handler validates a body DTO). */
  required: boolean;
}

/**
 * The body contract of every route, before any pipe sees the body. A body that is not in a
 * media type the route reads is 415: the JSON parser skips it, so the handler would see no
 * body, and a route whose fields are all optional would act on `{}` (a quota replaced by
 * nothing). A route that validates a body DTO and gets no bytes at all is 400 for the same
 * reason, unless it says its body is optional.
 */
@Injectable()
export class BodyContractInterceptor implements NestInterceptor {
  private readonly rules = new WeakMap<object, RouteBodyRules>();

  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request & { [BODY_BYTES]?: number }>();
    const rules = this.rulesFor(context);
    const bytes = bodyBytes(request);
    if (bytes > 0) {
      if (request.is(rules.consumes as string[]) === false || !request.headers['content-type']) {
        throw new UnsupportedMediaTypeException({
          statusCode: 415,
          error: 'unsupported_media_type',
          message: `content-type must be ${rules.consumes.join(' or ')}, got '${request.headers['content-type'] ?? 'none'}'`,
        });
      }
    } else if (rules.required) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: ['body is required: send a JSON object (application/json)'],
      });
    }
    return next.handle();
  }

  private rulesFor(context: ExecutionContext): RouteBodyRules {
    const handler = context.getHandler();
    let rules = this.rules.get(handler);
    if (rules === undefined) {
      const targets = [handler, context.getClass()];
      const consumes = this.reflector.getAllAndOverride<string[] | undefined>(CONSUMES, targets) ?? JSON_ONLY;
      const optional = this.reflector.getAllAndOverride<boolean | undefined>(OPTIONAL_BODY, targets) === true;
      rules = { consumes, required: !optional && validatesBodyDto(context.getClass(), handler.name) };
      this.rules.set(handler, rules);
    }
    return rules;
  }
}

/** Bytes of the body as sent: counted by the JSON parser, else from the headers. */
function bodyBytes(request: Request & { [BODY_BYTES]?: number }): number {
  const counted = request[BODY_BYTES];
  if (counted !== undefined) return counted;
  const length = request.headers['content-length'];
  if (length !== undefined) return Number(length) || 0;
  // Chunked and not read by the JSON parser: its size is unknown, so it counts as a body.
  return request.headers['transfer-encoding'] !== undefined ? 1 : 0;
}

/** Whether the handler takes a whole @Body() of a class type (a DTO that the pipe validates). */
function validatesBodyDto(controller: object, method: string): boolean {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const types = (Reflect.getMetadata(
    PARAMTYPES_METADATA,
    (controller as { prototype: object }).prototype,
    method,
  ) ?? []) as unknown[];
  for (const [key, arg] of Object.entries(args)) {
    if (key.split(':')[0] !== String(RouteParamtypes.BODY) || arg.data !== undefined) continue;
    const type = types[arg.index];
    if (typeof type === 'function' && type !== Object && type !== String && type !== Array) return true;
  }
  return false;
}
