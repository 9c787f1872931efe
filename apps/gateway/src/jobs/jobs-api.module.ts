import { Module } from '@nestjs/common';
import { JobsController } from './jobs.controller.js';
import { JobsService } from './jobs.service.js';
import { WorkflowsController } from './workflows.controller.js';
import { WorkflowsService } from './workflows.service.js';

/**
 * `/v1/jobs` and `/v1/workflows`. Needs the global CoreModule (database, transport), the
 * AuthModule (guard, AccessControl, AuditWriter) and GATEWAY_SETTINGS from the gateway.
 */
@Module({
  controllers: [JobsController, WorkflowsController],
  providers: [JobsService, WorkflowsService],
})
export class JobsApiModule {}
