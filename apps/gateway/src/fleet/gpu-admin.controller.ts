import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission, type RequestActor } from '@voxelfleet/auth';
import { OptionalBody } from '@voxelfleet/platform';
import { quotaReport } from '@voxelfleet/scheduling';
import { TenantSnapshotsService } from '../usage/tenant-snapshots.service.js';
import { USAGE_SOURCE, heldOnDevices } from '../usage/tenant-usage.source.js';
import { FleetViewService } from './fleet-view.service.js';
import { fleetStats, type FleetStats } from './gpu-stats.js';
import { NodeControlDto } from './node-control.dto.js';
import type { NodeView } from './node-view.js';
import { NodesService } from './nodes.service.js';
import { ApiAuthErrors } from '../openapi/api-errors.js';
import { GpuStatsSchema, GpuTenantsSchema, NodeListSchema, NodeViewSchema } from '../openapi/fleet.schema.js';

@ApiTags('gpu')
@ApiBearerAuth()
@Controller('admin/gpu')
export class GpuAdminController {
  constructor(
    @Inject(FleetViewService) private readonly fleet: FleetViewService,
    @Inject(NodesService) private readonly nodesService: NodesService,
    @Inject(TenantSnapshotsService) private readonly snapshots: TenantSnapshotsService,
  ) {}

  @Get('stats')
  @RequirePermission('read:gpu')
  @ApiOkResponse({ type: GpuStatsSchema, description: 'Fleet totals and per node and device figures' })
  @ApiAuthErrors()
  @ApiOperation({
    summary: 'Fleet totals and per node/device VRAM, allocations, OOMs, fallbacks, telemetry, health',
  })
  async stats(): Promise<FleetStats> {
    const now = Date.now();
    return fleetStats(await this.fleet.nodes(now), now);
  }

  @Get('tenants')
  @RequirePermission('read:gpu')
  @ApiOkResponse({
    type: GpuTenantsSchema,
    description: 'Per tenant quotas, usage and VRAM held; top consumers',
  })
  @ApiAuthErrors()
  @ApiOperation({ summary: 'Per tenant: usage against every quota, headroom, top consumers' })
  async tenants() {
    const now = Date.now();
    const tenants = await this.snapshots.tenants();
    const held = heldOnDevices(
      this.fleet.reportingNodes(now),
      tenants.map((t) => t.policy.id),
    );
    const rows = tenants.map(({ policy, snapshot }) => ({
      tenantId: policy.id,
      name: policy.name,
      edition: policy.edition.name,
      suspended: policy.suspended,
      quotas: quotaReport(snapshot, now),
      usage: {
        vramBytes: snapshot.usage.vramBytes,
        gpus: snapshot.usage.gpus,
        runningJobs: snapshot.usage.runningJobs,
        gpuSecondsToday: snapshot.usage.gpuSecondsToday,
      },
      heldOnDevices: held.get(policy.id) ?? { vramBytes: 0, devices: 0 },
    }));
    const top = (pick: (row: (typeof rows)[number]) => number) =>
      [...rows]
        .filter((row) => pick(row) > 0)
        .sort((a, b) => pick(b) - pick(a) || a.tenantId.localeCompare(b.tenantId))
        .slice(0, 5)
        .map((row) => ({ tenantId: row.tenantId, name: row.name, value: pick(row) }));
    return {
      at: new Date(now).toISOString(),
      usageSource: USAGE_SOURCE,
      tenants: rows,
      topConsumers: {
        vramBytes: top((r) => r.usage.vramBytes),
        gpus: top((r) => r.usage.gpus),
        gpuSecondsToday: top((r) => r.usage.gpuSecondsToday),
        heldVramBytes: top((r) => r.heldOnDevices.vramBytes),
      },
    };
  }

  @Get('nodes')
  @RequirePermission('read:nodes')
  @ApiOkResponse({ type: NodeListSchema, description: 'Every node known, lost ones included' })
  @ApiAuthErrors()
  @ApiOperation({
    summary: 'Nodes: registration, devices, last heartbeat, state (ready, draining, cordoned, lost)',
  })
  async nodes(): Promise<{ nodes: NodeView[] }> {
    return { nodes: await this.fleet.nodes() };
  }

  @Get('nodes/:id')
  @RequirePermission('read:nodes')
  @ApiOkResponse({ type: NodeViewSchema, description: 'The node' })
  @ApiAuthErrors(404)
  @ApiOperation({ summary: 'One node' })
  node(@Param('id') id: string): Promise<NodeView> {
    return this.nodesService.get(id);
  }

  @Post('nodes/:id/drain')
  @HttpCode(200)
  @RequirePermission('drain:nodes')
  @OptionalBody()
  @ApiOkResponse({ type: NodeViewSchema, description: 'The node, draining' })
  @ApiAuthErrors(400, 404, 413)
  @ApiOperation({ summary: 'Drain: no new work; running jobs finish' })
  drain(
    @CurrentActor() actor: RequestActor,
    @Param('id') id: string,
    @Body() dto: NodeControlDto,
  ): Promise<NodeView> {
    return this.nodesService.setState(actor, id, 'draining', dto.reason);
  }

  @Post('nodes/:id/cordon')
  @HttpCode(200)
  @RequirePermission('drain:nodes')
  @OptionalBody()
  @ApiOkResponse({ type: NodeViewSchema, description: 'The node, cordoned' })
  @ApiAuthErrors(400, 404, 413)
  @ApiOperation({ summary: 'Cordon: nothing new is placed on the node' })
  cordon(
    @CurrentActor() actor: RequestActor,
    @Param('id') id: string,
    @Body() dto: NodeControlDto,
  ): Promise<NodeView> {
    return this.nodesService.setState(actor, id, 'cordoned', dto.reason);
  }

  @Post('nodes/:id/uncordon')
  @HttpCode(200)
  @RequirePermission('drain:nodes')
  @OptionalBody()
  @ApiOkResponse({ type: NodeViewSchema, description: 'The node, ready again (unless it drains itself)' })
  @ApiAuthErrors(400, 404, 413)
  @ApiOperation({ summary: 'Back to ready' })
  uncordon(
    @CurrentActor() actor: RequestActor,
    @Param('id') id: string,
    @Body() dto: NodeControlDto,
  ): Promise<NodeView> {
    return this.nodesService.setState(actor, id, 'ready', dto.reason);
  }
}
