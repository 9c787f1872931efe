import { IdentityAndAudit1763700000000 } from './1763700000000-identity-and-audit.js';
import { JobsAndScheduling1763900000000 } from './1763900000000-jobs-and-scheduling.js';
import { GatewayPolicy1763800000000 } from './1763800000000-gateway-policy.js';
import { Tracking1764000000000 } from './1764000000000-tracking.js';
import { LeanJobHistory1764100000000 } from './1764100000000-lean-job-history.js';
import { InlineStateGuard1764200000000 } from './1764200000000-inline-state-guard.js';
import { HistoryTriggersPlanPerStatement1764300000000 } from './1764300000000-history-triggers-plan-per-statement.js';
import { GeoOutputs1764500000000 } from './1764500000000-geo-outputs.js';
import { GrantedClassesAndBilling1764700000000 } from './1764700000000-granted-classes-and-billing.js';
import { StopAndCheckpoint1765100000000 } from './1765100000000-stop-and-checkpoint.js';
import { TenantCohorts1765200000000 } from './1765200000000-tenant-cohorts.js';

/** Every migration, oldest first. Classes, not globs: the build is ESM and bundler-friendly. */
export const MIGRATIONS = [
  IdentityAndAudit1763700000000,
  GatewayPolicy1763800000000,
  JobsAndScheduling1763900000000,
  Tracking1764000000000,
  LeanJobHistory1764100000000,
  InlineStateGuard1764200000000,
  HistoryTriggersPlanPerStatement1764300000000,
  GeoOutputs1764500000000,
  GrantedClassesAndBilling1764700000000,
  StopAndCheckpoint1765100000000,
  TenantCohorts1765200000000,
];
