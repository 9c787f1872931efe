import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule, type AppInfra } from '@voxelfleet/platform';
import { NodeAgent } from './agent/node-agent.js';
import { agentTuning, type GpuNodeSettings } from './gpu-node.config.js';
import { HeartbeatService } from './heartbeat.service.js';
import { NodeAgentService } from './node-agent.service.js';
import { GPU_NODE_SETTINGS, NODE_AGENT } from './tokens.js';

/** The agent on one GPU machine (or a CPU-only machine). */
@Module({})
export class GpuNodeModule {
  static forRoot(infra: AppInfra, settings: GpuNodeSettings): DynamicModule {
    const tuning = { ...agentTuning(), ...stripUndefined(settings) };
    return {
      module: GpuNodeModule,
      imports: [CoreModule.forRoot(infra)],
      providers: [
        { provide: GPU_NODE_SETTINGS, useValue: settings },
        {
          provide: NODE_AGENT,
          useFactory: () =>
            new NodeAgent(settings.nodeId, tuning, infra.transport, infra.registry, infra.logger),
        },
        HeartbeatService,
        NodeAgentService,
      ],
    };
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
