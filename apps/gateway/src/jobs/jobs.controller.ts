import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission, type RequestActor } from '@voxelfleet/auth';
import { Idempotent } from '../common/idempotency.interceptor.js';
import { ListJobsQuery, SubmitJobDto } from './job.dto.js';
import type { JobView } from './job-views.js';
import { JobsService, type JobDetail } from './jobs.service.js';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('v1/jobs')
export class JobsController {
  constructor(@Inject(JobsService) private readonly jobs: JobsService) {}

  @Post()
  @Idempotent()
  @RequirePermission('submit:jobs')
  @ApiOperation({ summary: 'Submit a kernel job; a job that can never run is refused with the reason (422)' })
  submit(@CurrentActor() actor: RequestActor, @Body() dto: SubmitJobDto): Promise<JobDetail> {
    return this.jobs.submit(actor, dto);
  }

  @Get()
  @RequirePermission('read:jobs')
  @ApiOperation({ summary: "List jobs, newest first (tenant principals: their tenant's only)" })
  async list(
    @CurrentActor() actor: RequestActor,
    @Query() query: ListJobsQuery,
  ): Promise<{ jobs: JobView[] }> {
    return { jobs: await this.jobs.list(actor, query) };
  }

  @Get(':id')
  @RequirePermission('read:jobs')
  @ApiOperation({ summary: 'A job with its transitions and, while queued, why it is pending' })
  get(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<JobDetail> {
    return this.jobs.get(actor, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequirePermission('cancel:jobs')
  @ApiOperation({ summary: 'Cancel a job that has not finished' })
  cancel(@CurrentActor() actor: RequestActor, @Param('id') id: string): Promise<JobDetail> {
    return this.jobs.cancel(actor, id);
  }
}
