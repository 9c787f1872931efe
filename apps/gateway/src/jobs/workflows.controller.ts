import { Body, Controller, Get, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission, type RequestActor } from '@voxelfleet/auth';
import { Idempotent } from '../common/idempotency.interceptor.js';
import { SubmitWorkflowDto } from './workflow.dto.js';
import { WorkflowsService, type WorkflowView } from './workflows.service.js';
import { ApiAuthErrors, IDEMPOTENCY_ERRORS } from '../openapi/api-errors.js';
import { WorkflowSchema } from '../openapi/job.schema.js';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('v1/workflows')
export class WorkflowsController {
  constructor(@Inject(WorkflowsService) private readonly workflows: WorkflowsService) {}

  @Post()
  @Idempotent()
  @RequirePermission('submit:jobs')
  @ApiCreatedResponse({ type: WorkflowSchema, description: 'The workflow and its steps' })
  @ApiAuthErrors(
    413,
    [
      400,
      'Validation failed (the message names the field), or the graph is invalid (a cycle, an unknown step): details.errors',
    ],
    [403, 'The key lacks submit:jobs, or no GPU grant covers a step kernel'],
    [404, "No such tenant or kernelId, or another tenant's"],
    [422, 'A step could never run: the message names the step and the reason'],
    ...IDEMPOTENCY_ERRORS,
  )
  @ApiOperation({
    summary: 'Submit a DAG of jobs (fan-out, fan-in, failure policy per edge); cycles are refused',
  })
  submit(@CurrentActor() actor: RequestActor, @Body() dto: SubmitWorkflowDto): Promise<WorkflowView> {
    return this.workflows.submit(actor, dto);
  }

  @Get(':id')
  @RequirePermission('read:jobs')
  @ApiOkResponse({ type: WorkflowSchema, description: 'The workflow' })
  @ApiAuthErrors(404)
  @ApiOperation({ summary: 'The graph and the state of every step, with the critical path' })
  get(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<WorkflowView> {
    return this.workflows.get(actor, id);
  }
}
