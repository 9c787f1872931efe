import { fileURLToPath } from 'node:url';
import {
  Inject,
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { loadConfigOrExit } from '@voxelfleet/config';
import { APP_LOGGER } from '@voxelfleet/platform';
import type { Logger } from 'pino';
import { consoleConfigSchema, type ConsoleConfig } from './console.config.js';
import { CONSOLE_BASE, consoleFiles, findConsoleBuild, trackerUrlFrom } from './console-files.js';

const CONSOLE_CONFIG = Symbol('CONSOLE_CONFIG');

// dist/apps/gateway/src/console/ → dist/console (the Vite build), also from the sources under ts-jest.
const BUILD_CANDIDATES = [
  fileURLToPath(new URL('../../../../console', import.meta.url)),
  fileURLToPath(new URL('../../../../dist/console', import.meta.url)),
];

/** The web console's production build at /console/, and its config.json. */
@Module({})
export class ConsoleModule implements NestModule {
  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  static forRoot(env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: ConsoleModule,
      providers: [{ provide: CONSOLE_CONFIG, useValue: loadConfigOrExit(consoleConfigSchema, env) }],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    const root = findConsoleBuild(BUILD_CANDIDATES);
    if (root) this.logger.info({ root }, `console: serving ${root} at ${CONSOLE_BASE}/`);
    else
      this.logger.warn(
        `console: no build found (npm run build makes dist/console); ${CONSOLE_BASE}/ answers 404`,
      );
    consumer
      .apply(
        consoleFiles({
          root,
          trackerUrlFor: trackerUrlFrom(this.config.CONSOLE_TRACKER_URL, this.config.TRACKER_PORT),
        }),
      )
      .forRoutes(
        { path: 'console', method: RequestMethod.ALL },
        { path: 'console/{*path}', method: RequestMethod.ALL },
      );
  }
}
