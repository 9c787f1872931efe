import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule, type AppInfra } from '@voxelfleet/platform';

/** The public REST edge. */
@Module({})
export class GatewayModule {
  static forRoot(infra: AppInfra): DynamicModule {
    return { module: GatewayModule, imports: [CoreModule.forRoot(infra)] };
  }
}
