import { Inject, Injectable } from '@nestjs/common';
import { AuditWriter, auditDiffOf } from '@voxelfleet/audit';
import { notFound, type RequestActor } from '@voxelfleet/auth';
import { setNodeControl, type NodeControlState } from '@voxelfleet/persistence';
import { APP_LOGGER, DATA_SOURCE, TRANSPORT } from '@voxelfleet/platform';
import type { Transport } from '@voxelfleet/transport';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { auditOrigin } from '../common/actor-scope.js';
import { FleetViewService } from './fleet-view.service.js';
import type { NodeView } from './node-view.js';

const ACTIONS: Record<NodeControlState, string> = {
  draining: 'node.drain',
  cordoned: 'node.cordon',
  ready: 'node.uncordon',
};

/** Operators' node states: written with their audit entry, then announced on the transport. */
@Injectable()
export class NodesService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(AuditWriter) private readonly audit: AuditWriter,
    @Inject(FleetViewService) private readonly fleet: FleetViewService,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  async get(nodeId: string): Promise<NodeView> {
    const node = await this.fleet.node(nodeId);
    if (node === null) throw notFound('node', nodeId);
    return node;
  }

  async setState(
    actor: RequestActor,
    nodeId: string,
    state: NodeControlState,
    reason?: string,
  ): Promise<NodeView> {
    // Only nodes this gateway has heard from (or an operator already set) can be changed, so a
    // typo does not create a phantom node.
    if ((await this.fleet.node(nodeId)) === null) throw notFound('node', nodeId);
    const at = Date.now();
    await this.dataSource.transaction(async (manager) => {
      const { before, after } = await setNodeControl(manager, {
        nodeId,
        state,
        reason: reason ?? null,
        updatedBy: actor.principal.id,
      });
      await this.audit.append(manager, {
        tenantId: null,
        ...auditOrigin(actor),
        action: ACTIONS[state],
        resource: { type: 'node', id: nodeId },
        outcome: 'succeeded',
        reason: reason ?? null,
        diff: auditDiffOf(before && { state: before.state, reason: before.reason }, {
          state: after.state,
          reason: after.reason,
        }),
      });
    });
    this.fleet.invalidateControls();
    // After the commit: the scheduler also reads node_controls, so a lost event only delays it.
    await this.transport
      .publish('node.control', { nodeId, state, ...(reason === undefined ? {} : { reason }), at })
      .catch((error: unknown) => this.logger.warn({ err: error, nodeId }, 'could not publish node.control'));
    return this.get(nodeId);
  }
}
