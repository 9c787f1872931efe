import { Controller, Get, Inject } from '@nestjs/common';
import { FleetRegistryService } from './fleet-registry.service.js';
import type { FleetNodeView } from './fleet-view.js';

@Controller('v1/fleet')
export class FleetController {
  constructor(@Inject(FleetRegistryService) private readonly fleet: FleetRegistryService) {}

  /** Every node that has sent a heartbeat, with its state (operator control and liveness). */
  @Get('nodes')
  nodes(): { nodes: FleetNodeView[] } {
    return { nodes: this.fleet.list() };
  }
}
