import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission, type RequestActor } from '@voxelfleet/auth';
import { Idempotent } from '../common/idempotency.interceptor.js';
import { ListJobsQuery, SubmitJobDto } from './job.dto.js';
import type { JobView } from './job-views.js';
import { JobsService, type JobDetail } from './jobs.service.js';
import { ApiAuthErrors, IDEMPOTENCY_ERRORS } from '../openapi/api-errors.js';
import { JobDetailSchema, JobListSchema } from '../openapi/job.schema.js';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('v1/jobs')
export class JobsController {
  constructor(@Inject(JobsService) private readonly jobs: JobsService) {}

  @Post()
  @Idempotent()
  @RequirePermission('submit:jobs')
  @ApiCreatedResponse({
    type: JobDetailSchema,
    description: 'The job, submitted (it may still have to wait)',
  })
  @ApiAuthErrors(
    400,
    413,
    [403, 'The key lacks submit:jobs, or no GPU grant covers the kernel (or its CPU fallback)'],
    [404, "No such tenant or kernelId, or another tenant's"],
    [
      422,
      'The job could never run: the reason and its code (suspended tenant, feature off, above quota or edition ceiling, bigger than any node, deadline past)',
    ],
    ...IDEMPOTENCY_ERRORS,
  )
  @ApiOperation({ summary: 'Submit a kernel job; a job that can never run is refused with the reason (422)' })
  submit(@CurrentActor() actor: RequestActor, @Body() dto: SubmitJobDto): Promise<JobDetail> {
    return this.jobs.submit(actor, dto);
  }

  @Get()
  @RequirePermission('read:jobs')
  @ApiOkResponse({ type: JobListSchema, description: 'Jobs, newest first' })
  @ApiAuthErrors(400)
  @ApiOperation({ summary: "List jobs, newest first (tenant principals: their tenant's only)" })
  async list(
    @CurrentActor() actor: RequestActor,
    @Query() query: ListJobsQuery,
  ): Promise<{ jobs: JobView[] }> {
    return { jobs: await this.jobs.list(actor, query) };
  }

  @Get(':id')
  @RequirePermission('read:jobs')
  @ApiOkResponse({ type: JobDetailSchema, description: 'The job' })
  @ApiAuthErrors(404)
  @ApiOperation({ summary: 'A job with its transitions and, while queued, why it is pending' })
  get(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<JobDetail> {
    return this.jobs.get(actor, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequirePermission('cancel:jobs')
  @ApiOkResponse({ type: JobDetailSchema, description: 'The job, cancelled' })
  @ApiAuthErrors(404, [409, 'The job has finished and can no longer be cancelled'])
  @ApiOperation({ summary: 'Cancel a job that has not finished' })
  cancel(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<JobDetail> {
    return this.jobs.cancel(actor, id);
  }
}
