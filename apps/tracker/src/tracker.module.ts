import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule, type AppInfra } from '@voxelfleet/platform';

/** Camera rigs, streams, ingest and the live track stream. */
@Module({})
export class TrackerModule {
  static forRoot(infra: AppInfra): DynamicModule {
    return { module: TrackerModule, imports: [CoreModule.forRoot(infra)] };
  }
}
