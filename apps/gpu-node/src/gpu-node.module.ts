import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule, type AppInfra } from '@voxelfleet/platform';
import type { GpuNodeSettings } from './gpu-node.config.js';
import { HeartbeatService } from './heartbeat.service.js';
import { GPU_NODE_SETTINGS } from './tokens.js';

/** The agent on one GPU machine (or a CPU-only machine). */
@Module({})
export class GpuNodeModule {
  static forRoot(infra: AppInfra, settings: GpuNodeSettings): DynamicModule {
    return {
      module: GpuNodeModule,
      imports: [CoreModule.forRoot(infra)],
      providers: [{ provide: GPU_NODE_SETTINGS, useValue: settings }, HeartbeatService],
    };
  }
}
