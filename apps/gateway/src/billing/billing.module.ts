import { Module } from '@nestjs/common';
import { BillingController } from './billing.controller.js';
import { BillingMetrics } from './billing.metrics.js';
import { BillingService } from './billing.service.js';

/**
 * `/admin/billing`: prices and chargeback, and the billing metrics. Needs the global
 * CoreModule (database, metrics registry, logger) and the AuthModule (guard, AccessControl,
 * AuditWriter).
 */
@Module({
  controllers: [BillingController],
  providers: [BillingService, BillingMetrics],
})
export class BillingModule {}
