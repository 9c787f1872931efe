import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';

/**
 * Nest's Express adapter, with an HTTP server that builds each request and response with
 * Express's own prototypes (`app.request`, `app.response`) from the start.
 *
 * Express re-parents every incoming request and response (`Object.setPrototypeOf` in
 * `app.handle`). In V8 that change keeps the request's whole object graph alive through
 * young-generation collections until the next full one, so a busy server promotes most of
 * what each request allocates: young collections grow to several milliseconds each, full ones
 * come every few seconds, and the pauses show in tail latency; property access on re-parented
 * objects is slower too. When the prototype is already the one Express sets, its call changes
 * nothing and the objects die young (bench:gateway: a bare route answered about twice as many
 * requests per second; see the gateway README).
 *
 * HTTPS and the adapter's connection-tracking options keep Nest's own server.
 */
export class PrototypedExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    if (options.httpsOptions || options.forceCloseConnections || options.return503OnClosing) {
      super.initHttpServer(options);
      return;
    }
    const app = this.getInstance<Express>();
    this.setHttpServer(
      createServer(
        {
          IncomingMessage: expressRequestClass(app),
          ServerResponse: expressResponseClass(app),
        },
        app,
      ),
    );
  }
}

/**
 * Node's request class, extended so that its prototype is the one Express gives requests:
 * the class's prototype inherits Express's request methods and becomes `app.request`.
 */
function expressRequestClass(app: Express): typeof IncomingMessage {
  class ExpressIncomingMessage extends IncomingMessage {}
  Object.setPrototypeOf(ExpressIncomingMessage.prototype, app.request);
  app.request = ExpressIncomingMessage.prototype as Express['request'];
  return ExpressIncomingMessage;
}

/** The same for responses (`app.response`). */
function expressResponseClass(app: Express): typeof ServerResponse {
  class ExpressServerResponse extends ServerResponse {}
  Object.setPrototypeOf(ExpressServerResponse.prototype, app.response);
  app.response = ExpressServerResponse.prototype as Express['response'];
  // Node's generic signature is over the request type; this class serves the one above.
  return ExpressServerResponse as typeof ServerResponse;
}
