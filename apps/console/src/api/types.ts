/**
 * The gateway's and tracker's answers, as far as the console reads them. The gateway's come
 * from its OpenAPI document (generated/gateway-api.ts, `npm run console:types`); the tracker
 * documents its requests but not yet its answers, so its two are written here.
 */
import type { components } from './generated/gateway-api.js';

type GatewaySchemas = components['schemas'];

/** GET /console/config: served beside the console's files, outside the REST API. */
export interface ConsoleConfig {
  trackerUrl: string;
}

export type Me = GatewaySchemas['MeSchema'];
export type FleetStats = GatewaySchemas['GpuStatsSchema'];
export type DeviceStats = FleetStats['nodes'][number]['devices'][number];
export type TenantUsage = GatewaySchemas['GpuTenantsSchema'];
export type QuotaLine = GatewaySchemas['QuotaLineSchema'];
export type Job = GatewaySchemas['JobSchema'];
export type JobDetail = GatewaySchemas['JobDetailSchema'];
export type Workflow = GatewaySchemas['WorkflowSchema'];
export type AuditEntry = GatewaySchemas['AuditEntrySchema'];
export type AuditPage = GatewaySchemas['AuditPageSchema'];
export type AuditVerification = GatewaySchemas['AuditVerifySchema'];

export interface Stream {
  id: string;
  name: string;
  rigId: string;
  state: string;
  grid: { origin: number[]; dims: number[]; voxelSize: number };
  live: {
    fps: number;
    latencyMs: number;
    tracks: number;
    framesProcessed: number;
    lastT: number | null;
  } | null;
  replay: { state: string; percent: number } | null;
}

export interface Rig {
  id: string;
  name: string;
  cameras: {
    id: string;
    width: number;
    height: number;
    intrinsics: { fx: number; fy: number; cx: number; cy: number };
    position: number[];
    quaternion: number[];
  }[];
}
