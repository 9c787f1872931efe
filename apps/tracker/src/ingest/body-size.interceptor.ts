import {
  Injectable,
  mixin,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type Type,
} from '@nestjs/common';
import { DomainError } from '@voxelfleet/platform';
import type { Request } from 'express';
import type { Observable } from 'rxjs';

/**
 * Refuses an upload by its declared size before any of it is buffered: multer limits each
 * part, not the whole body, and parts are held in memory. A body without Content-Length
 * (chunked) is refused too, since its size is unknown until it has been read.
 */
export function MaxBodyBytes(limit: number): Type<NestInterceptor> {
  @Injectable()
  class MaxBodyBytesInterceptor implements NestInterceptor {
    intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
      const request = context.switchToHttp().getRequest<Request>();
      // JSON bodies were already read, under the JSON limit, by the body parser.
      if (!request.is('multipart/form-data')) return next.handle();
      const declared = request.headers['content-length'];
      if (declared === undefined) {
        throw new DomainError(411, 'length_required', 'send Content-Length with an upload');
      }
      if (!(Number(declared) <= limit)) {
        throw new DomainError(413, 'payload_too_large', `the body is over ${limit} bytes`);
      }
      return next.handle();
    }
  }
  return mixin(MaxBodyBytesInterceptor);
}
