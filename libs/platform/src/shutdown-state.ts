import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

/**
 * Flips to draining as soon as shutdown begins, so readiness fails first and load balancers
 * stop sending work while in-flight work finishes.
 */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  draining = false;

  beforeApplicationShutdown(): void {
    this.draining = true;
  }
}
