import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule, type AppInfra } from '@voxelfleet/platform';
import { FleetController } from './fleet/fleet.controller.js';
import { FleetRegistryService } from './fleet/fleet-registry.service.js';
import type { SchedulerSettings } from './scheduler.config.js';
import { SCHEDULER_SETTINGS } from './tokens.js';

/** Admission, placement and the fleet's live state. */
@Module({})
export class SchedulerModule {
  static forRoot(infra: AppInfra, settings: SchedulerSettings): DynamicModule {
    return {
      module: SchedulerModule,
      imports: [CoreModule.forRoot(infra)],
      controllers: [FleetController],
      providers: [{ provide: SCHEDULER_SETTINGS, useValue: settings }, FleetRegistryService],
    };
  }
}
