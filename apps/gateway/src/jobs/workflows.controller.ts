import { Body, Controller, Get, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission, type RequestActor } from '@voxelfleet/auth';
import { Idempotent } from '../common/idempotency.interceptor.js';
import { SubmitWorkflowDto } from './workflow.dto.js';
import { WorkflowsService, type WorkflowView } from './workflows.service.js';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('v1/workflows')
export class WorkflowsController {
  constructor(@Inject(WorkflowsService) private readonly workflows: WorkflowsService) {}

  @Post()
  @Idempotent()
  @RequirePermission('submit:jobs')
  @ApiOperation({
    summary: 'Submit a DAG of jobs (fan-out, fan-in, failure policy per edge); cycles are refused',
  })
  submit(@CurrentActor() actor: RequestActor, @Body() dto: SubmitWorkflowDto): Promise<WorkflowView> {
    return this.workflows.submit(actor, dto);
  }

  @Get(':id')
  @RequirePermission('read:jobs')
  @ApiOperation({ summary: 'The graph and the state of every step, with the critical path' })
  get(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<WorkflowView> {
    return this.workflows.get(actor, id);
  }
}
