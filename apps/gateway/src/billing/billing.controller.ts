import { Body, Controller, Get, Headers, Inject, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission, type RequestActor } from '@voxelfleet/auth';
import type { Response } from 'express';
import { ApiAuthErrors } from '../openapi/api-errors.js';
import { BillingReportSchema, PriceSheetSchema } from '../openapi/billing.schema.js';
import { billToCsv } from './billing-csv.js';
import { BillingQuery, PutPricesDto } from './billing.dto.js';
import { BillingService, type BillingReport, type PriceSheetView } from './billing.service.js';

@ApiTags('billing')
@ApiBearerAuth()
@Controller('admin/billing')
export class BillingController {
  constructor(@Inject(BillingService) private readonly billing: BillingService) {}

  @Get()
  @RequirePermission('read:billing')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    type: BillingReportSchema,
    description:
      'Usage, cost and idle reserved capacity per tenant and device class; CSV (one row per line) with format=csv or Accept: text/csv',
  })
  @ApiAuthErrors(400, [404, "No such tenant, or another tenant's"])
  @ApiOperation({
    summary:
      'Chargeback over a window (default: the UTC day so far), metered from the jobs real start and stop times',
  })
  async report(
    @CurrentActor() actor: RequestActor,
    @Query() query: BillingQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<BillingReport | string> {
    const report = await this.billing.report(actor, query);
    const csv = query.format === 'csv' || (query.format === undefined && /\btext\/csv\b/i.test(accept ?? ''));
    if (!csv) return report;
    response.type('text/csv');
    response.setHeader('content-disposition', 'attachment; filename="billing.csv"');
    return billToCsv(report, report.currency, report.from, report.to);
  }

  @Get('prices')
  @RequirePermission('read:billing')
  @ApiOkResponse({ type: PriceSheetSchema, description: 'The price sheet in force (no prices: cost 0)' })
  @ApiAuthErrors()
  @ApiOperation({ summary: 'Prices per device class per GPU-second and per CPU-fallback second' })
  prices(): Promise<PriceSheetView> {
    return this.billing.prices();
  }

  @Put('prices')
  @RequirePermission('manage:billing')
  @ApiOkResponse({
    type: PriceSheetSchema,
    description: 'The new price sheet; it prices every report from now on',
  })
  @ApiAuthErrors(400, 413)
  @ApiOperation({ summary: 'Set the price sheet (platform admins; audited as billing.prices.set)' })
  setPrices(@CurrentActor() actor: RequestActor, @Body() dto: PutPricesDto): Promise<PriceSheetView> {
    return this.billing.setPrices(actor, dto);
  }
}
