import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission, type RequestActor } from '@voxelfleet/auth';
import type { Response } from 'express';
import { AuditQueryDto, AuditVerifyQueryDto } from './audit-query.dto.js';
import { AuditService } from './audit.service.js';
import { ApiAuthErrors } from '../openapi/api-errors.js';
import { AuditPageSchema, AuditVerifySchema } from '../openapi/audit.schema.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('admin/audit')
export class AuditController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Get()
  @RequirePermission('read:audit')
  @ApiOkResponse({
    type: AuditPageSchema,
    description: 'One page of entries, oldest first, with the cursor of the next',
  })
  @ApiAuthErrors(400, [404, 'tenantId of another tenant'])
  @ApiOperation({ summary: 'Audit entries with filters, oldest first; page with nextCursor' })
  query(@CurrentActor() actor: RequestActor, @Query() query: AuditQueryDto) {
    return this.audit.query(actor, query);
  }

  @Get('verify')
  @RequirePermission('read:audit')
  @ApiOkResponse({
    type: AuditVerifySchema,
    description: 'Per chain: entries checked and the first broken link, if any',
  })
  @ApiAuthErrors(400, [404, 'chain of another tenant'])
  @ApiOperation({
    summary: 'Recompute the hash chains (and signed checkpoints); report the first broken link',
  })
  verify(@CurrentActor() actor: RequestActor, @Query() query: AuditVerifyQueryDto) {
    return this.audit.verify(actor, query);
  }

  @Get('export')
  @RequirePermission('read:audit')
  // The content type is set on the 200 alone: errors from this route are JSON like any other.
  @ApiOkResponse({
    description:
      'application/x-ndjson: one AuditEntrySchema JSON object per line, oldest first, every matching entry',
    content: {
      'application/x-ndjson': {
        schema: { type: 'string', example: '{"seq":"1","chain":"platform",...}\\n' },
      },
    },
  })
  @ApiAuthErrors(400, [404, 'tenantId of another tenant'])
  @ApiOperation({ summary: 'Every matching entry as NDJSON, one entry per line' })
  async export(
    @CurrentActor() actor: RequestActor,
    @Query() query: AuditQueryDto,
    @Res() response: Response,
  ): Promise<void> {
    // The first page is read before any byte is sent, so a scope error is still a clean 4xx.
    const entries = this.audit.export(actor, query);
    const first = await entries.next();
    response.status(200).type('application/x-ndjson');
    if (!first.done) response.write(`${JSON.stringify(first.value)}\n`);
    for await (const entry of entries) {
      if (!response.write(`${JSON.stringify(entry)}\n`)) {
        await new Promise<void>((resolve) => response.once('drain', () => resolve()));
      }
    }
    response.end();
  }
}
