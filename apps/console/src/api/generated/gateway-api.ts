// The gateway's REST types, generated from its OpenAPI document (/docs-json); do not edit.
// Regenerate with `npm run console:types` against running apps; an e2e test checks it is current.
export interface paths {
  '/admin/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Audit entries with filters, oldest first; page with nextCursor */
    get: operations['AuditController_query'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/audit/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every matching entry as NDJSON, one entry per line */
    get: operations['AuditController_export'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/audit/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Recompute the hash chains (and signed checkpoints); report the first broken link */
    get: operations['AuditController_verify'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/billing': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Chargeback over a window (default: the UTC day so far), metered from the jobs real start and stop times */
    get: operations['BillingController_report'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/billing/prices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Prices per device class per GPU-second and per CPU-fallback second */
    get: operations['BillingController_prices'];
    /** Set the price sheet (platform admins; audited as billing.prices.set) */
    put: operations['BillingController_setPrices'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/gpu/kernels': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Registered signed kernels (without PTX) */
    get: operations['KernelsController_list'];
    put?: never;
    /** Register a signed PTX kernel with its public key; the signature is verified here */
    post: operations['KernelsController_register'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/gpu/nodes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Nodes: registration, devices, last heartbeat, state (ready, draining, cordoned, lost) */
    get: operations['GpuAdminController_nodes'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/gpu/nodes/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One node */
    get: operations['GpuAdminController_node'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/gpu/nodes/{id}/cordon': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Cordon: nothing new is placed on the node */
    post: operations['GpuAdminController_cordon'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/gpu/nodes/{id}/drain': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Drain: no new work; running jobs finish */
    post: operations['GpuAdminController_drain'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/gpu/nodes/{id}/uncordon': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Back to ready */
    post: operations['GpuAdminController_uncordon'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/gpu/simulate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Dry run of an allocation or job: admitted?, where, what blocks it and by how much, start, preemptions */
    post: operations['SimulateController_simulate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/gpu/stats': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Fleet totals and per node/device VRAM, allocations, OOMs, fallbacks, telemetry, health */
    get: operations['GpuAdminController_stats'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/gpu/tenants': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Per tenant: usage against every quota, headroom, top consumers */
    get: operations['GpuAdminController_tenants'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/grants': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List grants (tenant principals: their tenant only) */
    get: operations['GrantsController_list'];
    put?: never;
    /** Give a principal a GPU capability grant (GPU use is denied by default) */
    post: operations['GrantsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/grants/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke a grant (at once) */
    delete: operations['GrantsController_revoke'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/keys/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke an API key (at once in this process) */
    delete: operations['PrincipalsController_revokeKey'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/principals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List principals (tenant principals: their tenant only) */
    get: operations['PrincipalsController_list'];
    put?: never;
    /** Create a user or service account (tenant admins: in their tenant) */
    post: operations['PrincipalsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/principals/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One principal with its keys (prefixes only) */
    get: operations['PrincipalsController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/principals/{id}/disable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Disable a principal: all its keys are refused until it is enabled again */
    post: operations['PrincipalsController_disable'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/principals/{id}/enable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Enable a disabled principal again (its keys work again) */
    post: operations['PrincipalsController_enable'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/principals/{id}/keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create an API key; the key is in this answer only */
    post: operations['PrincipalsController_createKey'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/tenants': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List tenants (a tenant principal sees its own) */
    get: operations['TenantsController_list'];
    put?: never;
    /** Create a tenant (platform admin) */
    post: operations['TenantsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/tenants/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One tenant with its edition features and effective limits */
    get: operations['TenantsController_get'];
    put?: never;
    post?: never;
    /** Delete a tenant with its principals, keys and grants (its audit chain stays) */
    delete: operations['TenantsController_remove'];
    options?: never;
    head?: never;
    /** Rename, change edition, weight or placement policy */
    patch: operations['TenantsController_update'];
    trace?: never;
  };
  '/admin/tenants/{id}/cohort': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Set the tenant's cohort (tenants of one cohort lend each other unused quota) and how far beyond its own limits it may borrow */
    put: operations['TenantsController_setCohort'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/tenants/{id}/quota': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Replace the tenant's own limits (each within its edition's ceiling) */
    put: operations['TenantsController_setQuota'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/tenants/{id}/resume': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Resume a suspended tenant */
    post: operations['TenantsController_resume'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/tenants/{id}/suspend': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Suspend: the tenant's new jobs are refused */
    post: operations['TenantsController_suspend'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/live': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['HealthController_live'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['HealthController_ready'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['MetricsController_metrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List jobs, newest first (tenant principals: their tenant's only) */
    get: operations['JobsController_list'];
    put?: never;
    /** Submit a kernel job; a job that can never run is refused with the reason (422) */
    post: operations['JobsController_submit'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A job with its transitions and, while queued, why it is pending */
    get: operations['JobsController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Cancel a job that has not finished */
    post: operations['JobsController_cancel'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Who the key belongs to: principal, roles, tenant, live GPU grants */
    get: operations['MeController_me'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/quota': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Limits, current usage and headroom of every quota; changes nothing */
    get: operations['MeController_quota'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workflows': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Submit a DAG of jobs (fan-out, fan-in, failure policy per edge); cycles are refused */
    post: operations['WorkflowsController_submit'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/workflows/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The graph and the state of every step, with the critical path */
    get: operations['WorkflowsController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    ApiErrorBody: {
      /** @description Some domain errors only: structured detail (e.g. the edition ceiling, workflow errors) */
      details?: {
        [key: string]: unknown;
      };
      /**
       * @description A stable machine-readable code (not_found, forbidden, conflict, Bad Request, ...)
       * @example not_found
       */
      error: string;
      /**
       * Format: uuid
       * @description 500 and 503 only: the id of the log line to quote when reporting it
       */
      errorId?: string;
      /**
       * @description Why, naming the field where one is at fault; validation errors give one line per field
       * @example tenant 7d7c... not found
       */
      message: string | string[];
      /**
       * @description The HTTP status, repeated
       * @example 404
       */
      statusCode: number;
    };
    ApiKeySchema: {
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      expiresAt: string | null;
      /** Format: uuid */
      id: string;
      label: string;
      /** Format: date-time */
      lastUsedAt: string | null;
      /** @description The public part of the key (vf_<prefix>_...) */
      prefix: string;
      /** Format: uuid */
      principalId: string;
      /** Format: date-time */
      revokedAt: string | null;
    };
    AuditActorSchema: {
      /** Format: uuid */
      id: string | null;
      roles: string[];
      /** @example service */
      type: string;
    };
    AuditEntrySchema: {
      /** @example tenant.quota.set */
      action: string;
      actor: components['schemas']['AuditActorSchema'];
      /** Format: date-time */
      at: string;
      /** @description Tenant id, or 'platform' */
      chain: string;
      /** @description Position in its chain */
      chainSeq: string | number;
      /** @description Before/after of what changed, secrets scrubbed */
      diff: {
        [key: string]: unknown;
      } | null;
      /** @description sha256 of this entry (hex) */
      hash: string;
      /** @enum {string} */
      outcome: 'allowed' | 'denied' | 'succeeded' | 'failed';
      /** @description sha256 of the previous entry of the chain (hex) */
      prevHash: string;
      reason: string | null;
      requestId: string | null;
      resource: components['schemas']['AuditResourceSchema'];
      /** @description Global sequence (bigint as a string); the cursor for the next page */
      seq: string;
      sourceIp: string | null;
      /** Format: uuid */
      tenantId: string | null;
      traceId: string | null;
    };
    AuditPageSchema: {
      entries: components['schemas']['AuditEntrySchema'][];
      /** @description Pass as ?after= for the next page; null on the last page */
      nextCursor: string | null;
    };
    AuditResourceSchema: {
      id: string | null;
      /** @example tenant */
      type: string;
    };
    AuditVerifySchema: {
      chains: components['schemas']['ChainReportSchema'][];
      /** @description Whether signed checkpoints were checked against a trusted key */
      checkpointsTrusted: boolean;
      /** @description Every chain intact and no bad checkpoint */
      ok: boolean;
    };
    BillingLineSchema: {
      /** @description Cost of the run time, in the sheet currency */
      cost: number;
      /** @description Seconds run on the CPU fallback */
      cpuSeconds: number;
      /**
       * @description The price class that billed it, 'cpu-fallback' or 'unpriced'
       * @example sm_90+
       */
      deviceClass: string;
      /** @description GPU-seconds run (seconds times devices held) */
      gpuSeconds: number;
      /** @description What the idle reserved time would cost at the same prices (not in cost) */
      idleReservedCost: number;
      /** @description GPU-seconds devices were reserved (placed) but the job was not yet running */
      idleReservedGpuSeconds: number;
      /** @description Jobs with time in this line */
      jobs: number;
      /** Format: uuid */
      tenantId: string;
    };
    BillingReportSchema: {
      /** @example EUR */
      currency: string;
      /** Format: date-time */
      from: string;
      lines: components['schemas']['BillingLineSchema'][];
      prices: components['schemas']['PriceSheetSchema'];
      tenants: components['schemas']['TenantBillSchema'][];
      /** Format: date-time */
      to: string;
    };
    BorrowingLimitDto: {
      /** @description Running jobs beyond concurrentJobs */
      concurrentJobs?: number;
      /** @description GPUs beyond the gpus quota */
      gpus?: number;
      /** @description VRAM beyond vramBytesTotal, bytes */
      vramBytesTotal?: number;
    };
    ChainReportSchema: {
      /** @description Checkpoints whose signature did not verify (not used) */
      badCheckpoints: number[];
      chain: string;
      fromSeq: number;
      /** @description Intact: { ok: true, checked, head }. Broken: { ok: false, checked, firstBrokenSeq, reason, detail, breaks (every broken link, the first 1000), brokenLinks, head } */
      result:
        | {
            checked: number;
            head: {
              [key: string]: unknown;
            } | null;
            /** @enum {boolean} */
            ok: true;
          }
        | {
            breaks: {
              detail: string;
              reason: string;
              seq: number;
            }[];
            brokenLinks: number;
            checked: number;
            detail: string;
            firstBrokenSeq: number;
            head: {
              [key: string]: unknown;
            } | null;
            /** @enum {boolean} */
            ok: false;
            reason: string;
          };
      toSeq: number;
    };
    CohortDto: {
      /** @description Replaces the borrowing limit; absent quotas borrow nothing. Default: none */
      borrowingLimit?: components['schemas']['BorrowingLimitDto'];
      /** @description cohort must be 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit, or null; null leaves any cohort */
      cohort: string | null;
    };
    CohortLineSchema: {
      /** @description Used beyond its own limit, on quota its cohort lends */
      borrowed: number;
      borrowingLimit: number;
      /** @description Its unused quota that other cohort members use now */
      lent: number;
      /** @description The tenant's own limit */
      own: number;
      /** @enum {string} */
      quota: 'vramBytesTotal' | 'gpus' | 'concurrentJobs';
      used: number;
    };
    CohortReportSchema: {
      cohort: string | null;
      quotas: components['schemas']['CohortLineSchema'][];
    };
    CreatedApiKeySchema: {
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      expiresAt: string | null;
      /** Format: uuid */
      id: string;
      /**
       * @description The full API key, shown in this answer only (an idempotent replay shows it scrubbed); store it now
       * @example vf_ab12cd34_...
       */
      key: string;
      label: string;
      /** Format: date-time */
      lastUsedAt: string | null;
      /** @description The public part of the key (vf_<prefix>_...) */
      prefix: string;
      /** Format: uuid */
      principalId: string;
      /** Format: date-time */
      revokedAt: string | null;
    };
    CreateGrantDto: {
      /** @description May the kernels run on the CPU fallback */
      cpuFallback: boolean;
      /**
       * @description Device classes; '*' is any device; empty: CPU only
       * @example [
       *       "sm_90+,vram>=40GiB"
       *     ]
       */
      deviceClasses: string[];
      /** Format: date-time */
      expiresAt?: string;
      /**
       * @description Kernel names or patterns ('*' one segment, '**' the rest)
       * @example [
       *       "motion.*",
       *       "voxel.evidence"
       *     ]
       */
      kernels: string[];
      /** Format: uuid */
      principalId: string;
    };
    CreateKeyDto: {
      /**
       * Format: date-time
       * @description The key stops working at this time
       */
      expiresAt?: string;
      /** @example deploy pipeline */
      label?: string;
    };
    CreatePrincipalDto: {
      /** @enum {string} */
      kind: 'user' | 'service';
      /** @example ci-bot */
      name: string;
      roles: ('platform-admin' | 'operator' | 'auditor' | 'tenant-admin' | 'tenant-member')[];
      /**
       * Format: uuid
       * @description Owning tenant; omit for a tenant admin's own tenant, null for a platform principal
       */
      tenantId?: Record<string, never> | null;
    };
    CreateTenantDto: {
      /**
       * @default community
       * @example pro
       */
      edition: string;
      /**
       * @description name must be 1-63 lower-case letters, digits or dashes, starting with a letter or digit
       * @example acme
       */
      name: string;
      /** @enum {string} */
      placementPolicy?: 'least-loaded' | 'bin-pack' | 'spread';
      quota?: components['schemas']['QuotaDto'];
      /**
       * @description Fair-share weight
       * @default 1
       */
      weight: number;
    };
    DeviceAllocationsSchema: {
      failed: number;
      succeeded: number;
    };
    DeviceOomsSchema: {
      hard: number;
      soft: number;
    };
    DevicePriceDto: {
      /**
       * @description A device-class expression ('*': any device); a device is priced by the first class it matches
       * @example sm_90+
       */
      deviceClass: string;
      /**
       * @description Price of one GPU-second on such a device
       * @example 0.0011
       */
      perGpuSecond: number;
    };
    DevicePriceSchema: {
      /** @example sm_90+ */
      deviceClass: string;
      /** @example 0.0011 */
      perGpuSecond: number;
    };
    DeviceStatsSchema: {
      allocations: components['schemas']['DeviceAllocationsSchema'];
      healthy: boolean;
      index: number;
      name: string;
      ooms: components['schemas']['DeviceOomsSchema'];
      powerW: number | null;
      temperatureC: number | null;
      throttling: boolean;
      /** @description 0..1 */
      utilization: number | null;
      uuid: string;
      vram: components['schemas']['DeviceVramSchema'];
      xidErrors: number;
    };
    DeviceVramSchema: {
      peakBytes: number;
      /** @description The node's VRAM pool on the device */
      poolCapacityBytes: number | null;
      totalBytes: number;
      usedBytes: number;
    };
    EditionFeaturesSchema: {
      cpuFallback: boolean;
      multiGpu: boolean;
      signedCustomKernels: boolean;
      trackingStreams: boolean;
    };
    FleetTotalsSchema: {
      allocationsFailed: number;
      allocationsSucceeded: number;
      cpuFallbacks: number;
      devices: number;
      hardOoms: number;
      healthyDevices: number;
      maxTemperatureC: number | null;
      meanUtilization: number | null;
      nodes: number;
      /** @description ready, draining, cordoned, lost */
      nodesByState: {
        [key: string]: number;
      };
      powerW: number;
      runningJobs: number;
      softOoms: number;
      vramPeakBytes: number;
      vramTotalBytes: number;
      vramUsedBytes: number;
    };
    GpuStatsSchema: {
      /** Format: date-time */
      at: string;
      nodes: components['schemas']['NodeStatsSchema'][];
      totals: components['schemas']['FleetTotalsSchema'];
    };
    GpuTenantSchema: {
      edition: string;
      heldOnDevices: components['schemas']['HeldOnDevicesSchema'];
      name: string;
      quotas: components['schemas']['QuotaLineSchema'][];
      suspended: boolean;
      /** Format: uuid */
      tenantId: string;
      usage: components['schemas']['TenantUsageNowSchema'];
    };
    GpuTenantsSchema: {
      /** Format: date-time */
      at: string;
      tenants: components['schemas']['GpuTenantSchema'][];
      /** @description Top five per measure: vramBytes, gpus, gpuSecondsToday, heldVramBytes (loose) */
      topConsumers: {
        [key: string]: unknown;
      };
      usageSource: string;
    };
    GrantLimitSchema: {
      /**
       * @description The job may be placed only on a device one of these classes matches
       * @example [
       *       "vram<=24GiB"
       *     ]
       */
      deviceClasses: string[];
      /** @description The caller's live grants covering the kernel */
      grantIds: string[];
      /** @example matmul.f32 */
      kernel: string;
    };
    GrantListSchema: {
      grants: components['schemas']['GrantSchema'][];
    };
    GrantSchema: {
      cpuFallback: boolean;
      /** Format: date-time */
      createdAt: string;
      /** Format: uuid */
      createdBy: string | null;
      /** @description Device class expressions */
      deviceClasses: string[];
      /** Format: date-time */
      expiresAt: string | null;
      /** Format: uuid */
      id: string;
      /** @description Kernel name patterns this grant covers */
      kernels: string[];
      /** Format: uuid */
      principalId: string;
      /** Format: date-time */
      revokedAt: string | null;
      /** Format: uuid */
      revokedBy: string | null;
      /** Format: uuid */
      tenantId: string | null;
    };
    HeldOnDevicesSchema: {
      /** @description Devices holding any of it */
      devices: number;
      /** @description VRAM the nodes' pools hold for the tenant */
      vramBytes: number;
    };
    JobAffinityDto: {
      /**
       * @description Hard: a device-class expression
       * @example sm_90+,vram>=40GiB
       */
      deviceClass?: string;
      /** @description Hard: run only on this node */
      nodeId?: string;
      /** @description Soft: prefer the node holding this tracking stream */
      sameNodeAsStream?: string;
    };
    JobBlockerSchema: {
      /** @description kind capacity: the best any eligible node offers now */
      available?: number;
      /** Format: date-time */
      clearsAt?: string;
      /** @enum {string} */
      kind: 'quota' | 'capacity';
      /** @description kind quota: its limit */
      limit?: number;
      /** @description One line a person reads */
      message: string;
      /** @description kind capacity: what the job needs */
      needed?: number;
      /**
       * @description kind quota: which quota
       * @enum {string}
       */
      quota?:
        | 'vramBytesPerDevice'
        | 'vramBytesTotal'
        | 'gpus'
        | 'concurrentJobs'
        | 'jobsPerMinute'
        | 'gpuSecondsPerDay'
        | 'trackingStreams';
      /** @description kind quota: what the job asks for */
      requested?: number;
      /**
       * @description kind capacity: which resource
       * @enum {string}
       */
      resource?: 'device-vram' | 'devices-on-node' | 'cpu-slots' | 'healthy-nodes';
      /** @description How much must free up before the job fits */
      shortfall: number;
      /** @description kind quota: in use now */
      used?: number;
    };
    JobDetailSchema: {
      affinity: {
        [key: string]: string;
      } | null;
      attempt: number;
      /** @description Priority boost (critical path of a workflow) */
      boost: number;
      cpuFallbackAllowed: boolean;
      /** Format: date-time */
      deadline: string | null;
      deviceIds: string[];
      /** @description What went wrong, once it failed (any JSON) */
      error: Record<string, never> | null;
      estimatedDurationMs: number | null;
      /** Format: date-time */
      finishedAt: string | null;
      gpus: number;
      /**
       * @description The device classes the submitter's grants allowed for the kernel at submission; the job is placed only on a device one of them matches (null: any device)
       * @example [
       *       "vram<=24GiB"
       *     ]
       */
      grantedDeviceClasses: string[] | null;
      /** Format: uuid */
      id: string;
      kernel: components['schemas']['JobKernelSchema'];
      maxAttempts: number;
      nodeId: string | null;
      /** @description The kernel's output once it succeeded (any JSON) */
      output: Record<string, never> | null;
      /** @description null unless queued */
      pending: components['schemas']['PendingSchema'] | null;
      /** Format: date-time */
      placedAt: string | null;
      preemptible: boolean;
      /** @example normal */
      priority: string;
      /** Format: date-time */
      retryAt: string | null;
      /** Format: date-time */
      startedAt: string | null;
      /**
       * @example submitted
       * @enum {string}
       */
      state:
        | 'waiting'
        | 'submitted'
        | 'admitted'
        | 'placed'
        | 'running'
        | 'succeeded'
        | 'failed'
        | 'cancelled'
        | 'expired'
        | 'preempted'
        | 'requeued'
        | 'skipped';
      stateReason: string;
      /** @description Its step key in the workflow */
      step: string | null;
      /** Format: date-time */
      submittedAt: string;
      /** Format: uuid */
      tenantId: string;
      timeoutMs: number;
      transitions: components['schemas']['TransitionSchema'][];
      /** @description Per device */
      vramBytes: number;
      /** Format: uuid */
      workflowId: string | null;
    };
    JobKernelSchema: {
      /**
       * Format: uuid
       * @description A registered signed kernel
       */
      kernelId?: string;
      name: string;
    };
    JobListSchema: {
      jobs: components['schemas']['JobSchema'][];
    };
    JobSchema: {
      affinity: {
        [key: string]: string;
      } | null;
      attempt: number;
      /** @description Priority boost (critical path of a workflow) */
      boost: number;
      cpuFallbackAllowed: boolean;
      /** Format: date-time */
      deadline: string | null;
      deviceIds: string[];
      /** @description What went wrong, once it failed (any JSON) */
      error: Record<string, never> | null;
      estimatedDurationMs: number | null;
      /** Format: date-time */
      finishedAt: string | null;
      gpus: number;
      /**
       * @description The device classes the submitter's grants allowed for the kernel at submission; the job is placed only on a device one of them matches (null: any device)
       * @example [
       *       "vram<=24GiB"
       *     ]
       */
      grantedDeviceClasses: string[] | null;
      /** Format: uuid */
      id: string;
      kernel: components['schemas']['JobKernelSchema'];
      maxAttempts: number;
      nodeId: string | null;
      /** @description The kernel's output once it succeeded (any JSON) */
      output: Record<string, never> | null;
      /** Format: date-time */
      placedAt: string | null;
      preemptible: boolean;
      /** @example normal */
      priority: string;
      /** Format: date-time */
      retryAt: string | null;
      /** Format: date-time */
      startedAt: string | null;
      /**
       * @example submitted
       * @enum {string}
       */
      state:
        | 'waiting'
        | 'submitted'
        | 'admitted'
        | 'placed'
        | 'running'
        | 'succeeded'
        | 'failed'
        | 'cancelled'
        | 'expired'
        | 'preempted'
        | 'requeued'
        | 'skipped';
      stateReason: string;
      /** @description Its step key in the workflow */
      step: string | null;
      /** Format: date-time */
      submittedAt: string;
      /** Format: uuid */
      tenantId: string;
      timeoutMs: number;
      /** @description Per device */
      vramBytes: number;
      /** Format: uuid */
      workflowId: string | null;
    };
    KernelLimitsDto: {
      /**
       * @example [
       *       1024,
       *       1024,
       *       64
       *     ]
       */
      maxBlock: number[];
      /**
       * @example [
       *       65535,
       *       65535,
       *       64
       *     ]
       */
      maxGrid: number[];
      /** @example 49152 */
      maxSharedBytes: number;
      /** @example 1024 */
      maxThreadsPerBlock: number;
    };
    KernelListSchema: {
      kernels: components['schemas']['KernelSchema'][];
    };
    KernelManifestDto: {
      /** @example scale */
      entry: string;
      /** @description Which key signed it; registered with this kernel when new */
      keyId: string;
      limits: components['schemas']['KernelLimitsDto'];
      /** @example acme.scale */
      name: string;
      params: components['schemas']['KernelParamDto'][];
      ptxSha256: string;
    };
    KernelParamDto: {
      name: string;
      /** @enum {string} */
      type: 'ptr' | 'u32' | 'i32' | 'u64' | 'i64' | 'f32' | 'f64';
    };
    KernelSchema: {
      /** Format: date-time */
      createdAt: string;
      /** Format: uuid */
      createdBy: string | null;
      /** Format: uuid */
      id: string;
      keyId: string;
      /** @description The signed manifest as registered */
      manifest: {
        [key: string]: unknown;
      };
      name: string;
      ptxSha256: string;
      /** @description Ed25519 signature */
      signature: string;
      /** Format: uuid */
      tenantId: string | null;
    };
    MeKeySchema: {
      /** Format: uuid */
      id: string;
      prefix: string;
    };
    MeSchema: {
      /** @description The principal's GPU grants, as in GrantSchema */
      grants: {
        [key: string]: unknown;
      }[];
      /** Format: uuid */
      id: string;
      key: components['schemas']['MeKeySchema'];
      /** @enum {string} */
      kind: 'user' | 'service';
      name: string;
      roles: string[];
      /** @description Absent for a platform principal */
      tenant?: components['schemas']['MeTenantSchema'];
      /** Format: uuid */
      tenantId: string | null;
    };
    MeTenantSchema: {
      edition: string;
      features: components['schemas']['EditionFeaturesSchema'];
      /** Format: uuid */
      id: string;
      name: string;
      suspended: boolean;
    };
    NodeControlDto: {
      /**
       * @description Why; kept with the state and audited
       * @example kernel upgrade
       */
      reason?: string;
    };
    NodeControlSchema: {
      reason: string | null;
      /** @enum {string} */
      state: 'ready' | 'draining' | 'cordoned';
      /** Format: date-time */
      updatedAt: string;
      updatedBy: string | null;
    };
    NodeListSchema: {
      nodes: components['schemas']['NodeViewSchema'][];
    };
    NodeStatsSchema: {
      cpuFallbacks: number;
      devices: components['schemas']['DeviceStatsSchema'][];
      /** Format: date-time */
      lastHeartbeatAt: string | null;
      nodeId: string;
      runningJobs: number;
      /** @enum {string} */
      state: 'ready' | 'draining' | 'cordoned' | 'lost';
    };
    NodeViewSchema: {
      /** @description What an operator set at the gateway, if anything */
      control: components['schemas']['NodeControlSchema'] | null;
      /** @description cores, load1, slots */
      cpu: {
        [key: string]: unknown;
      } | null;
      /** @description Devices as the node reports them (index, uuid, name, memory, capability, telemetry, pool, healthy) */
      devices: {
        [key: string]: unknown;
      }[];
      fallbacks: number;
      heartbeatAgeMs: number | null;
      hostname: string | null;
      /** Format: date-time */
      lastHeartbeatAt: string | null;
      nodeId: string;
      /** Format: date-time */
      registeredAt: string | null;
      /** @description What the node itself reports */
      reportedState: string | null;
      runningJobs: number;
      /**
       * @description Liveness first, then the operator's state, then the node's own
       * @enum {string}
       */
      state: 'ready' | 'draining' | 'cordoned' | 'lost';
    };
    PendingSchema: {
      blockers: components['schemas']['JobBlockerSchema'][];
      /** Format: date-time */
      since: string | null;
      /** @description One line: what holds the job back */
      summary: string;
    };
    PriceSheetSchema: {
      /** @example 0.00002 */
      cpuFallbackPerSecond: number;
      /** @example EUR */
      currency: string;
      /** @description In order: the first matching class prices a device */
      deviceClasses: components['schemas']['DevicePriceSchema'][];
      /**
       * Format: date-time
       * @description Null: never set (cost 0)
       */
      updatedAt: string | null;
      /** Format: uuid */
      updatedBy: string | null;
    };
    PrincipalListSchema: {
      principals: components['schemas']['PrincipalSchema'][];
    };
    PrincipalSchema: {
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      disabledAt: string | null;
      /** Format: uuid */
      id: string;
      /** @enum {string} */
      kind: 'user' | 'service';
      name: string;
      /**
       * @example [
       *       "tenant-member"
       *     ]
       */
      roles: string[];
      /**
       * Format: uuid
       * @description null: a platform principal
       */
      tenantId: string | null;
    };
    PrincipalWithKeysSchema: {
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      disabledAt: string | null;
      /** Format: uuid */
      id: string;
      keys: components['schemas']['ApiKeySchema'][];
      /** @enum {string} */
      kind: 'user' | 'service';
      name: string;
      /**
       * @example [
       *       "tenant-member"
       *     ]
       */
      roles: string[];
      /**
       * Format: uuid
       * @description null: a platform principal
       */
      tenantId: string | null;
    };
    PutPricesDto: {
      /**
       * @description Price of one second on the CPU fallback
       * @example 0.00002
       */
      cpuFallbackPerSecond: number;
      /**
       * @description ISO 4217 code of every price and cost
       * @example EUR
       */
      currency: string;
      /** @description In order: the first matching class prices a device */
      deviceClasses: components['schemas']['DevicePriceDto'][];
    };
    QuotaDto: {
      concurrentJobs?: number;
      /** @description GPUs held by all running jobs */
      gpus?: number;
      gpuSecondsPerDay?: number;
      jobsPerMinute?: number;
      trackingStreams?: number;
      /** @description Largest VRAM a job may take on one device, bytes */
      vramBytesPerDevice?: number;
      /** @description VRAM held by all running jobs, bytes */
      vramBytesTotal?: number;
    };
    QuotaLimitsSchema: {
      concurrentJobs: number;
      gpus: number;
      gpuSecondsPerDay: number;
      jobsPerMinute: number;
      trackingStreams: number;
      /** @description bytes */
      vramBytesPerDevice: number;
      /** @description bytes */
      vramBytesTotal: number;
    };
    QuotaLineSchema: {
      headroom: number;
      limit: number;
      /** @enum {string} */
      quota:
        | 'vramBytesPerDevice'
        | 'vramBytesTotal'
        | 'gpus'
        | 'concurrentJobs'
        | 'jobsPerMinute'
        | 'gpuSecondsPerDay'
        | 'trackingStreams';
      /**
       * @description edition when the edition's ceiling, not the tenant's own quota, sets the limit
       * @enum {string}
       */
      source: 'tenant' | 'edition';
      used: number;
    };
    QuotaViewSchema: {
      /** Format: date-time */
      at: string;
      /** @description Own, borrowed and lent quota in its cohort */
      borrowing: components['schemas']['CohortReportSchema'];
      edition: string;
      features: components['schemas']['EditionFeaturesSchema'];
      quotas: components['schemas']['QuotaLineSchema'][];
      suspended: boolean;
      /** Format: uuid */
      tenantId: string;
      /** @description What usage counts */
      usageSource: string;
    };
    RegisterKernelDto: {
      manifest: components['schemas']['KernelManifestDto'];
      /** @description PTX text exactly as signed */
      ptx: string;
      /** @description SPKI PEM Ed25519 public key of manifest.keyId */
      publicKeyPem: string;
      /** @description Base64 Ed25519 signature of the canonical JSON of the manifest */
      signature: string;
      /**
       * Format: uuid
       * @description Owning tenant
       */
      tenantId?: string;
    };
    SimulateAffinityDto: {
      /** @example sm_90+,vram>=40GiB */
      deviceClass?: string;
      /** @description Hard: only this node */
      nodeId?: string;
    };
    SimulateBasisSchema: {
      nodes: number;
      runningJobs: number;
      usageSource: string;
    };
    SimulatedBlockerSchema: {
      /** @description kind capacity: the best any eligible node offers now */
      available?: number;
      clearsAtMs?: number;
      /** @enum {string} */
      kind: 'quota' | 'capacity';
      /** @description kind quota: its limit */
      limit?: number;
      /** @description One line a person reads */
      message: string;
      /** @description kind capacity: what the job needs */
      needed?: number;
      /**
       * @description kind quota: which quota
       * @enum {string}
       */
      quota?:
        | 'vramBytesPerDevice'
        | 'vramBytesTotal'
        | 'gpus'
        | 'concurrentJobs'
        | 'jobsPerMinute'
        | 'gpuSecondsPerDay'
        | 'trackingStreams';
      /** @description kind quota: what the job asks for */
      requested?: number;
      /**
       * @description kind capacity: which resource
       * @enum {string}
       */
      resource?: 'device-vram' | 'devices-on-node' | 'cpu-slots' | 'healthy-nodes';
      /** @description How much must free up before the job fits */
      shortfall: number;
      /** @description kind quota: in use now */
      used?: number;
    };
    SimulateDto: {
      affinity?: components['schemas']['SimulateAffinityDto'];
      cpuFallbackAllowed?: boolean;
      /** @description Deadline, milliseconds from now */
      deadlineInMs?: number;
      /** @description Estimated duration, milliseconds */
      estimatedDurationMs?: number;
      /**
       * @description GPUs (a job that may also run on the CPU sets cpuFallbackAllowed)
       * @example 1
       */
      gpus: number;
      kernel?: components['schemas']['SimulateKernelDto'];
      opensTrackingStream?: boolean;
      preemptible?: boolean;
      /** @enum {string} */
      priority: 'realtime' | 'high' | 'normal' | 'low' | 'background';
      /**
       * Format: uuid
       * @description Default: the caller's own tenant
       */
      tenantId?: string;
      /**
       * @description VRAM per device, bytes
       * @example 8589934592
       */
      vramBytesPerDevice: number;
    };
    SimulateKernelDto: {
      /** @description A signed custom kernel rather than a built-in one */
      custom?: boolean;
      /** @example matmul.f32 */
      name: string;
    };
    SimulateResultSchema: {
      /** @description Passes the tenant's checks now (suspension, features, quotas) */
      admitted: boolean;
      basis: components['schemas']['SimulateBasisSchema'];
      /** @description What holds it back */
      blockers: components['schemas']['SimulatedBlockerSchema'][];
      /** @description Quota it would borrow from its tenant's cohort beyond its own limits: quota, amount, cohort, from (lenders) */
      borrowing: {
        [key: string]: unknown;
      }[];
      /** @example dry run: nothing was reserved, queued or stored */
      changesNothing: string;
      /** @description The scheduler decision record (kind, atMs, seed, inputsDigest, choice) */
      decision: {
        [key: string]: unknown;
      };
      /**
       * @description Always true
       * @enum {boolean}
       */
      dryRun: true;
      estimateBasis: string;
      /** Format: date-time */
      estimatedStartAt: string | null;
      estimatedStartMs: number | null;
      /** @description Which of the caller's grants limit the devices for the kernel (null: nothing narrows it: a platform caller, no kernel, or a grant for any device) */
      grantLimit: components['schemas']['GrantLimitSchema'] | null;
      /** @enum {string} */
      outcome: 'would-start' | 'would-preempt' | 'would-wait' | 'rejected';
      /** @description Node and devices it would get; null if none */
      placement: {
        [key: string]: unknown;
      } | null;
      /** @description Jobs it would preempt (jobId, tenantId, nodeId, deviceIds, lostWorkMs, ...) */
      preempted: {
        [key: string]: unknown;
      }[];
      reason: string;
      /** @description { code, reason } when it could never run */
      rejection: {
        [key: string]: unknown;
      } | null;
    };
    SubmitJobDto: {
      affinity?: components['schemas']['JobAffinityDto'];
      /**
       * @description On a preemption notice the run writes a checkpoint at its next launch boundary (kept with the job) and is dispatched again from it
       * @default false
       */
      checkpointable: boolean;
      /** @default false */
      cpuFallbackAllowed: boolean;
      /**
       * Format: date-time
       * @description Start by then, or the job expires
       */
      deadline?: string;
      /** @description Expected run time, ms (critical path, GPU-second budget) */
      estimatedDurationMs?: number;
      /** @default 1 */
      gpus: number;
      /** @description Kernel inputs: numbers, strings, small arrays or {base64, dtype} buffers */
      inputs?: Record<string, never>;
      /**
       * @description A built-in kernel name, or a registered kernel with kernelId
       * @example saxpy
       */
      kernel: string;
      /**
       * Format: uuid
       * @description A registered signed kernel (see /admin/gpu/kernels)
       */
      kernelId?: string;
      /**
       * @description Launches of the kernel in one run, back to back, each taking the previous launch’s outputs as inputs of the same name (an iterative kernel carries its state). A preemption or cancellation stops the run between two launches.
       * @default 1
       */
      launches: number;
      /**
       * @description Attempts in all, the first included
       * @default 3
       */
      maxAttempts: number;
      /** @default false */
      preemptible: boolean;
      /**
       * @description Seconds a checkpointable run has, after a preemption notice, to write its checkpoint
       * @default 30
       */
      preemptionGraceSeconds: number;
      /**
       * @default normal
       * @enum {string}
       */
      priority: 'realtime' | 'high' | 'normal' | 'low' | 'background';
      /**
       * Format: uuid
       * @description Platform callers: the tenant the job runs for
       */
      tenantId?: string;
      /**
       * @description Hard wall-clock limit of one run, ms
       * @default 600000
       */
      timeoutMs: number;
      /**
       * @description Peak VRAM per device, bytes
       * @default 0
       */
      vramBytes: number;
    };
    SubmitWorkflowDto: {
      name?: string;
      steps: components['schemas']['WorkflowStepDto'][];
      /**
       * Format: uuid
       * @description Platform callers: the tenant the workflow runs for
       */
      tenantId?: string;
    };
    SuspendTenantDto: {
      /** @description Why; goes into the audit log */
      reason?: string;
    };
    TenantBillSchema: {
      /** @description Cost of the run time, in the sheet currency */
      cost: number;
      /** @description Seconds run on the CPU fallback */
      cpuSeconds: number;
      /** @description GPU-seconds run (seconds times devices held) */
      gpuSeconds: number;
      /** @description What the idle reserved time would cost at the same prices (not in cost) */
      idleReservedCost: number;
      /** @description GPU-seconds devices were reserved (placed) but the job was not yet running */
      idleReservedGpuSeconds: number;
      /** Format: uuid */
      tenantId: string;
    };
    TenantListSchema: {
      tenants: components['schemas']['TenantSchema'][];
    };
    TenantSchema: {
      /** @description How far beyond its own vramBytesTotal, gpus and concurrentJobs the tenant may borrow */
      borrowingLimit: {
        [key: string]: number;
      };
      /** @description Tenants of one cohort lend each other the quota they leave unused */
      cohort: string | null;
      /** Format: date-time */
      createdAt: string;
      /** @example pro */
      edition: string;
      features?: components['schemas']['EditionFeaturesSchema'];
      /** Format: uuid */
      id: string;
      /** @description The limits that apply (own override or edition default, within the ceiling) */
      limits?: components['schemas']['QuotaLimitsSchema'];
      name: string;
      /** @enum {string|null} */
      placementPolicy: 'least-loaded' | 'bin-pack' | 'spread' | null;
      /** @description The tenant's own limits (only those it set); the rest come from the edition */
      quotaOverrides: {
        [key: string]: number;
      };
      /** @enum {string} */
      status: 'active' | 'suspended';
      suspended: boolean;
      /** Format: date-time */
      updatedAt: string;
      /** @description Fair-share weight */
      weight: number;
    };
    TenantUsageNowSchema: {
      gpus: number;
      gpuSecondsToday: number;
      runningJobs: number;
      vramBytes: number;
    };
    TransitionSchema: {
      /** Format: date-time */
      at: string;
      attempt: number;
      from: string | null;
      nodeId: string | null;
      reason: string;
      to: string;
    };
    UpdateTenantDto: {
      edition?: string;
      /** @description name must be 1-63 lower-case letters, digits or dashes, starting with a letter or digit */
      name?: string;
      /** @enum {string} */
      placementPolicy?: 'least-loaded' | 'bin-pack' | 'spread';
      weight?: number;
    };
    WorkflowDependencyDto: {
      /**
       * @default fail-workflow
       * @enum {string}
       */
      onFailure: 'fail-workflow' | 'skip-dependents' | 'continue';
      /** @description The key of the step this one waits for */
      step: string;
    };
    WorkflowDependencySchema: {
      /** @example fail-workflow */
      onFailure: string;
      step: string;
    };
    WorkflowSchema: {
      /** Format: date-time */
      createdAt: string;
      /** @description Step keys on the critical path */
      criticalPath: string[];
      /** Format: date-time */
      finishedAt: string | null;
      /** Format: uuid */
      id: string;
      name: string;
      reason: string | null;
      state: string;
      steps: components['schemas']['WorkflowStepSchema'][];
      /** Format: uuid */
      tenantId: string;
    };
    WorkflowStepDto: {
      affinity?: components['schemas']['JobAffinityDto'];
      /**
       * @description On a preemption notice the run writes a checkpoint at its next launch boundary (kept with the job) and is dispatched again from it
       * @default false
       */
      checkpointable: boolean;
      /** @default false */
      cpuFallbackAllowed: boolean;
      /**
       * Format: date-time
       * @description Start by then, or the job expires
       */
      deadline?: string;
      dependsOn?: components['schemas']['WorkflowDependencyDto'][];
      /** @description Expected run time, ms (critical path, GPU-second budget) */
      estimatedDurationMs?: number;
      /** @default 1 */
      gpus: number;
      /** @description Kernel inputs: numbers, strings, small arrays or {base64, dtype} buffers */
      inputs?: Record<string, never>;
      /**
       * @description A built-in kernel name, or a registered kernel with kernelId
       * @example saxpy
       */
      kernel: string;
      /**
       * Format: uuid
       * @description A registered signed kernel (see /admin/gpu/kernels)
       */
      kernelId?: string;
      /**
       * @description Unique within the workflow
       * @example extract
       */
      key: string;
      /**
       * @description Launches of the kernel in one run, back to back, each taking the previous launch’s outputs as inputs of the same name (an iterative kernel carries its state). A preemption or cancellation stops the run between two launches.
       * @default 1
       */
      launches: number;
      /**
       * @description Attempts in all, the first included
       * @default 3
       */
      maxAttempts: number;
      /** @default false */
      preemptible: boolean;
      /**
       * @description Seconds a checkpointable run has, after a preemption notice, to write its checkpoint
       * @default 30
       */
      preemptionGraceSeconds: number;
      /**
       * @default normal
       * @enum {string}
       */
      priority: 'realtime' | 'high' | 'normal' | 'low' | 'background';
      /**
       * @description Hard wall-clock limit of one run, ms
       * @default 600000
       */
      timeoutMs: number;
      /**
       * @description Peak VRAM per device, bytes
       * @default 0
       */
      vramBytes: number;
    };
    WorkflowStepSchema: {
      boost: number;
      dependsOn: components['schemas']['WorkflowDependencySchema'][];
      /** Format: uuid */
      jobId: string;
      key: string;
      onCriticalPath: boolean;
      state: string;
      stateReason: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  AuditController_query: {
    parameters: {
      query?: {
        action?: string;
        actorId?: string;
        /** @description Cursor: the nextCursor of the previous page */
        after?: string;
        from?: string;
        limit?: number;
        outcome?: 'allowed' | 'denied' | 'succeeded' | 'failed';
        resourceId?: string;
        resourceType?: string;
        /** @description A tenant id, or 'platform' for entries of no tenant */
        tenantId?: string;
        to?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page of entries, oldest first, with the cursor of the next */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditPageSchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description tenantId of another tenant */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  AuditController_export: {
    parameters: {
      query?: {
        action?: string;
        actorId?: string;
        /** @description Cursor: the nextCursor of the previous page */
        after?: string;
        from?: string;
        limit?: number;
        outcome?: 'allowed' | 'denied' | 'succeeded' | 'failed';
        resourceId?: string;
        resourceType?: string;
        /** @description A tenant id, or 'platform' for entries of no tenant */
        tenantId?: string;
        to?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description application/x-ndjson: one AuditEntrySchema JSON object per line, oldest first, every matching entry */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/x-ndjson': string;
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description tenantId of another tenant */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  AuditController_verify: {
    parameters: {
      query?: {
        /** @description One chain: a tenant id or 'platform'; default: every chain in scope */
        chain?: string;
        /** @description First chain_seq to check (default 1) */
        from?: number;
        /** @description Last chain_seq to check (default: the head or last checkpoint) */
        to?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Per chain: entries checked and the first broken link, if any */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditVerifySchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description chain of another tenant */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  BillingController_report: {
    parameters: {
      query?: {
        /** @description Or send Accept: text/csv */
        format?: 'json' | 'csv';
        /** @description Start of the window (default: start of the UTC day) */
        from?: string;
        /** @description One tenant (tenant principals: their own only) */
        tenantId?: string;
        /** @description End of the window (default: now) */
        to?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Usage, cost and idle reserved capacity per tenant and device class; CSV (one row per line) with format=csv or Accept: text/csv */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BillingReportSchema'];
          'text/csv': components['schemas']['BillingReportSchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
          'text/csv': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
          'text/csv': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
          'text/csv': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No such tenant, or another tenant's */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
          'text/csv': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
          'text/csv': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
          'text/csv': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  BillingController_prices: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The price sheet in force (no prices: cost 0) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PriceSheetSchema'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  BillingController_setPrices: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PutPricesDto'];
      };
    };
    responses: {
      /** @description The new price sheet; it prices every report from now on */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PriceSheetSchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Request body over 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A body that is not application/json (nothing is read or changed) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  KernelsController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Kernels in scope, without PTX */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['KernelListSchema'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  KernelsController_register: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RegisterKernelDto'];
      };
    };
    responses: {
      /** @description The registered kernel, without PTX */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['KernelSchema'];
        };
      };
      /** @description Validation failed (the message names the field), or publicKeyPem is not an ed25519 SPKI PEM key; or an Idempotency-Key that is not 1-128 of [A-Za-z0-9._:-] */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No such tenant, or another tenant's */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The manifest key id is registered with another key; or a request with this Idempotency-Key is still running, or the first one just failed; retry */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Request body over 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A body that is not application/json (nothing is read or changed) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Signature or PTX hash does not verify, the key is revoked, or the tenant's edition has no signed custom kernels; or this Idempotency-Key was used with a different request */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  GpuAdminController_nodes: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every node known, lost ones included */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NodeListSchema'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  GpuAdminController_node: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The node */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NodeViewSchema'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Not found, or another tenant's object (the same answer, so ids cannot be probed) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  GpuAdminController_cordon: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['NodeControlDto'];
      };
    };
    responses: {
      /** @description The node, cordoned */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NodeViewSchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Not found, or another tenant's object (the same answer, so ids cannot be probed) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Request body over 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A body that is not application/json (nothing is read or changed) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  GpuAdminController_drain: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['NodeControlDto'];
      };
    };
    responses: {
      /** @description The node, draining */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NodeViewSchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Not found, or another tenant's object (the same answer, so ids cannot be probed) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Request body over 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A body that is not application/json (nothing is read or changed) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  GpuAdminController_uncordon: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['NodeControlDto'];
      };
    };
    responses: {
      /** @description The node, ready again (unless it drains itself) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NodeViewSchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Not found, or another tenant's object (the same answer, so ids cannot be probed) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Request body over 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A body that is not application/json (nothing is read or changed) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  SimulateController_simulate: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['SimulateDto'];
      };
    };
    responses: {
      /** @description What would happen now; nothing is reserved, queued or stored */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SimulateResultSchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No such tenant, or another tenant's */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Request body over 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A body that is not application/json (nothing is read or changed) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  GpuAdminController_stats: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Fleet totals and per node and device figures */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['GpuStatsSchema'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  GpuAdminController_tenants: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Per tenant quotas, usage and VRAM held; top consumers */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['GpuTenantsSchema'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  GrantsController_list: {
    parameters: {
      query?: {
        /** @description Include revoked grants */
        includeRevoked?: boolean;
        principalId?: string;
        /** @description Platform callers: one tenant only */
        tenantId?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Grants */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['GrantListSchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description tenantId of another tenant */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  GrantsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateGrantDto'];
      };
    };
    responses: {
      /** @description The grant; it applies at once */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['GrantSchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too); or an Idempotency-Key that is not 1-128 of [A-Za-z0-9._:-] */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No such principal, or another tenant's */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A request with this Idempotency-Key is still running, or the first one just failed; retry */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Request body over 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A body that is not application/json (nothing is read or changed) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description cpuFallback where the tenant's edition has no CPU fallback; or this Idempotency-Key was used with a different request */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  GrantsController_revoke: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The grant, revoked (revoking twice answers the same) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['GrantSchema'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Not found, or another tenant's object (the same answer, so ids cannot be probed) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  PrincipalsController_revokeKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The key, revoked */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiKeySchema'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Not found, or another tenant's object (the same answer, so ids cannot be probed) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  PrincipalsController_list: {
    parameters: {
      query?: {
        tenantId?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Principals */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PrincipalListSchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description tenantId of another tenant */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  PrincipalsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreatePrincipalDto'];
      };
    };
    responses: {
      /** @description The principal (it has no key yet) */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PrincipalSchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too); or an Idempotency-Key that is not 1-128 of [A-Za-z0-9._:-] */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs; or the key lacks write:principals, or may not hand out these roles */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No such tenant, or another tenant's */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A principal with this name exists in the tenant; or a request with this Idempotency-Key is still running, or the first one just failed; retry */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Request body over 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A body that is not application/json (nothing is read or changed) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description This Idempotency-Key was used with a different request */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  PrincipalsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The principal with its keys (never a secret) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PrincipalWithKeysSchema'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Not found, or another tenant's object (the same answer, so ids cannot be probed) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  PrincipalsController_disable: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The principal, disabled (disabledAt set) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PrincipalSchema'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs; or the key lacks write:principals, or may not manage a principal with these roles */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Not found, or another tenant's object (the same answer, so ids cannot be probed) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A principal cannot disable itself */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  PrincipalsController_enable: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The principal, enabled (disabledAt null) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PrincipalSchema'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs; or the key lacks write:principals, or may not manage a principal with these roles */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Not found, or another tenant's object (the same answer, so ids cannot be probed) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  PrincipalsController_createKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateKeyDto'];
      };
    };
    responses: {
      /** @description The key; its secret (key) is shown in this answer only */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedApiKeySchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too); or an Idempotency-Key that is not 1-128 of [A-Za-z0-9._:-] */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs; or the key lacks manage:keys, or may not mint keys for a principal with these roles */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Not found, or another tenant's object (the same answer, so ids cannot be probed) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A request with this Idempotency-Key is still running, or the first one just failed; retry */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Request body over 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A body that is not application/json (nothing is read or changed) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description This Idempotency-Key was used with a different request */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  TenantsController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Tenants by name (at most 1000) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantListSchema'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  TenantsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateTenantDto'];
      };
    };
    responses: {
      /** @description The tenant, with its effective limits and edition features */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantSchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too); or an Idempotency-Key that is not 1-128 of [A-Za-z0-9._:-] */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A tenant with this name exists; or a request with this Idempotency-Key is still running, or the first one just failed; retry */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Request body over 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A body that is not application/json (nothing is read or changed) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Unknown edition, or a quota above the edition's ceiling; or this Idempotency-Key was used with a different request */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  TenantsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The tenant */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantSchema'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Not found, or another tenant's object (the same answer, so ids cannot be probed) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  TenantsController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Not found, or another tenant's object (the same answer, so ids cannot be probed) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The tenant still has objects that must be removed first */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  TenantsController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateTenantDto'];
      };
    };
    responses: {
      /** @description The tenant as changed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantSchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Not found, or another tenant's object (the same answer, so ids cannot be probed) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A tenant with this name exists */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Request body over 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A body that is not application/json (nothing is read or changed) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Unknown edition, or the tenant's own quota is above the new edition's ceiling */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  TenantsController_setCohort: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CohortDto'];
      };
    };
    responses: {
      /** @description The tenant with its cohort and borrowing limit */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantSchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Not found, or another tenant's object (the same answer, so ids cannot be probed) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Request body over 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A body that is not application/json (nothing is read or changed) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  TenantsController_setQuota: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['QuotaDto'];
      };
    };
    responses: {
      /** @description The tenant with its new overrides and limits */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantSchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Not found, or another tenant's object (the same answer, so ids cannot be probed) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Request body over 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A body that is not application/json (nothing is read or changed) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A limit above the edition's ceiling (the message names it); nothing is changed */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  TenantsController_resume: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['SuspendTenantDto'];
      };
    };
    responses: {
      /** @description The tenant, active */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantSchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Not found, or another tenant's object (the same answer, so ids cannot be probed) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Request body over 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A body that is not application/json (nothing is read or changed) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  TenantsController_suspend: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['SuspendTenantDto'];
      };
    };
    responses: {
      /** @description The tenant, suspended */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantSchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Not found, or another tenant's object (the same answer, so ids cannot be probed) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Request body over 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A body that is not application/json (nothing is read or changed) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  HealthController_live: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The Health Check is successful */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example {
             *       "database": {
             *         "status": "up",
             *         "responseTime": 12
             *       }
             *     }
             */
            details?: {
              [key: string]: {
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
              } & {
                [key: string]: unknown;
              };
            };
            /** @example {} */
            error?: {
              [key: string]: {
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
              } & {
                [key: string]: unknown;
              };
            } | null;
            /**
             * @example {
             *       "database": {
             *         "status": "up",
             *         "responseTime": 12
             *       }
             *     }
             */
            info?: {
              [key: string]: {
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
              } & {
                [key: string]: unknown;
              };
            } | null;
            /**
             * @example ok
             * @enum {string}
             */
            status?: 'ok' | 'degraded';
          };
        };
      };
      /** @description The Health Check is not successful */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example {
             *       "database": {
             *         "status": "up",
             *         "responseTime": 12
             *       },
             *       "redis": {
             *         "status": "down",
             *         "message": "Could not connect",
             *         "responseTime": 3005
             *       }
             *     }
             */
            details?: {
              [key: string]: {
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
              } & {
                [key: string]: unknown;
              };
            };
            /**
             * @example {
             *       "redis": {
             *         "status": "down",
             *         "message": "Could not connect",
             *         "responseTime": 3005
             *       }
             *     }
             */
            error?: {
              [key: string]: {
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
              } & {
                [key: string]: unknown;
              };
            } | null;
            /**
             * @example {
             *       "database": {
             *         "status": "up",
             *         "responseTime": 12
             *       }
             *     }
             */
            info?: {
              [key: string]: {
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
              } & {
                [key: string]: unknown;
              };
            } | null;
            /**
             * @example error
             * @enum {string}
             */
            status?: 'error' | 'shutting_down';
          };
        };
      };
    };
  };
  HealthController_ready: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The Health Check is successful */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example {
             *       "database": {
             *         "status": "up",
             *         "responseTime": 12
             *       }
             *     }
             */
            details?: {
              [key: string]: {
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
              } & {
                [key: string]: unknown;
              };
            };
            /** @example {} */
            error?: {
              [key: string]: {
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
              } & {
                [key: string]: unknown;
              };
            } | null;
            /**
             * @example {
             *       "database": {
             *         "status": "up",
             *         "responseTime": 12
             *       }
             *     }
             */
            info?: {
              [key: string]: {
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
              } & {
                [key: string]: unknown;
              };
            } | null;
            /**
             * @example ok
             * @enum {string}
             */
            status?: 'ok' | 'degraded';
          };
        };
      };
      /** @description The Health Check is not successful */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example {
             *       "database": {
             *         "status": "up",
             *         "responseTime": 12
             *       },
             *       "redis": {
             *         "status": "down",
             *         "message": "Could not connect",
             *         "responseTime": 3005
             *       }
             *     }
             */
            details?: {
              [key: string]: {
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
              } & {
                [key: string]: unknown;
              };
            };
            /**
             * @example {
             *       "redis": {
             *         "status": "down",
             *         "message": "Could not connect",
             *         "responseTime": 3005
             *       }
             *     }
             */
            error?: {
              [key: string]: {
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
              } & {
                [key: string]: unknown;
              };
            } | null;
            /**
             * @example {
             *       "database": {
             *         "status": "up",
             *         "responseTime": 12
             *       }
             *     }
             */
            info?: {
              [key: string]: {
                /** @description Time the health indicator took to respond, in ms */
                responseTime?: number;
                /** @enum {string} */
                status: 'up' | 'degraded' | 'down';
              } & {
                [key: string]: unknown;
              };
            } | null;
            /**
             * @example error
             * @enum {string}
             */
            status?: 'error' | 'shutting_down';
          };
        };
      };
    };
  };
  MetricsController_metrics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  JobsController_list: {
    parameters: {
      query?: {
        limit?: number;
        state?:
          | 'waiting'
          | 'submitted'
          | 'admitted'
          | 'placed'
          | 'running'
          | 'succeeded'
          | 'failed'
          | 'cancelled'
          | 'expired'
          | 'preempted'
          | 'requeued'
          | 'skipped';
        /** @description Platform callers: one tenant only */
        tenantId?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Jobs, newest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobListSchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  JobsController_submit: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['SubmitJobDto'];
      };
    };
    responses: {
      /** @description The job, submitted (it may still have to wait) */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobDetailSchema'];
        };
      };
      /** @description Validation failed: the message names the field (unknown fields are refused too); or an Idempotency-Key that is not 1-128 of [A-Za-z0-9._:-] */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs; or the key lacks submit:jobs, or no GPU grant covers the kernel (or its CPU fallback) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No such tenant or kernelId, or another tenant's */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A request with this Idempotency-Key is still running, or the first one just failed; retry */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Request body over 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A body that is not application/json (nothing is read or changed) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The job could never run: the reason and its code (suspended tenant, feature off, above quota or edition ceiling, bigger than any node, deadline past); or this Idempotency-Key was used with a different request */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  JobsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The job */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobDetailSchema'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Not found, or another tenant's object (the same answer, so ids cannot be probed) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  JobsController_cancel: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The job, cancelled */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobDetailSchema'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Not found, or another tenant's object (the same answer, so ids cannot be probed) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The job has finished and can no longer be cancelled */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  MeController_me: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The principal behind the key */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MeSchema'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  MeController_quota: {
    parameters: {
      query?: {
        /** @description Platform callers: which tenant */
        tenantId?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every quota with limit, usage and headroom */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['QuotaViewSchema'];
        };
      };
      /** @description A platform principal without tenantId, or a tenantId that is not a UUID */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No such tenant, or another tenant's */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  WorkflowsController_submit: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['SubmitWorkflowDto'];
      };
    };
    responses: {
      /** @description The workflow and its steps */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WorkflowSchema'];
        };
      };
      /** @description Validation failed (the message names the field), or the graph is invalid (a cycle, an unknown step): details.errors; or an Idempotency-Key that is not 1-128 of [A-Za-z0-9._:-] */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs; or the key lacks submit:jobs, or no GPU grant covers a step kernel */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description No such tenant or kernelId, or another tenant's */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A request with this Idempotency-Key is still running, or the first one just failed; retry */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Request body over 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A body that is not application/json (nothing is read or changed) */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description A step could never run: the message names the step and the reason; or this Idempotency-Key was used with a different request */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
  WorkflowsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The workflow */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WorkflowSchema'];
        };
      };
      /** @description No API key, or a key that is unknown, revoked, expired or of a disabled principal */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description The key lacks the permission this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Not found, or another tenant's object (the same answer, so ids cannot be probed) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Rate limited for this key and route; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
      /** @description Postgres or Redis is unavailable; retry after Retry-After seconds */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiErrorBody'];
        };
      };
    };
  };
}
