import { Catch, HttpException, type ArgumentsHost, type WsExceptionFilter } from '@nestjs/common';
import type { IngestReply } from './track-events.js';

/**
 * A socket event refused before its handler ran (the shared validation's text rule, which
 * every message body goes through as a REST body does): the sender gets the refusal as its
 * acknowledgement, with the status and the field, like a REST client gets its 400. Without
 * this, Nest would emit a generic `exception` event and the ack would never come.
 */
@Catch(HttpException)
export class SocketRefusalFilter implements WsExceptionFilter<HttpException> {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const status = exception.getStatus();
    const payload = exception.getResponse();
    const message =
      typeof payload === 'object' && payload !== null ? (payload as { message?: unknown }).message : payload;
    const reply: IngestReply = {
      ok: false,
      streamId: '',
      status,
      code: status === 400 ? 'bad_request' : 'refused',
      error: Array.isArray(message)
        ? message.join('; ')
        : typeof message === 'string'
          ? message
          : exception.message,
    };
    // Socket.io handler arguments: the client, the message, the acknowledgement callback.
    const ack: unknown = host.getArgByIndex(2);
    if (typeof ack === 'function') (ack as (reply: IngestReply) => void)(reply);
    else host.switchToWs().getClient<{ emit(event: string, data: unknown): void }>().emit('exception', reply);
  }
}
