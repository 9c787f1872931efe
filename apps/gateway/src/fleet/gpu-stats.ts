import type { NodeView } from './node-view.js';

export interface DeviceStats {
  index: number;
  uuid: string;
  name: string;
  healthy: boolean;
  vram: { totalBytes: number; usedBytes: number; peakBytes: number; poolCapacityBytes: number | null };
  allocations: { succeeded: number; failed: number };
  ooms: { soft: number; hard: number };
  utilization: number | null;
  temperatureC: number | null;
  powerW: number | null;
  throttling: boolean;
  xidErrors: number;
}

export interface NodeStats {
  nodeId: string;
  state: NodeView['state'];
  lastHeartbeatAt: string | null;
  cpuFallbacks: number;
  runningJobs: number;
  devices: DeviceStats[];
}

export interface FleetTotals {
  nodes: number;
  nodesByState: Record<NodeView['state'], number>;
  devices: number;
  healthyDevices: number;
  vramTotalBytes: number;
  vramUsedBytes: number;
  vramPeakBytes: number;
  allocationsSucceeded: number;
  allocationsFailed: number;
  cpuFallbacks: number;
  softOoms: number;
  hardOoms: number;
  /** Mean over devices that report it; null when none does. */
  meanUtilization: number | null;
  maxTemperatureC: number | null;
  powerW: number;
  runningJobs: number;
}

export interface FleetStats {
  at: string;
  totals: FleetTotals;
  nodes: NodeStats[];
}

/** Fleet totals and per-node, per-device figures from the nodes' latest reports. */
export function fleetStats(nodes: readonly NodeView[], nowMs: number): FleetStats {
  const perNode = nodes.map(nodeStatsOf);
  const devices = perNode.flatMap((n) => n.devices);
  const sum = (pick: (d: DeviceStats) => number) => devices.reduce((total, d) => total + pick(d), 0);
  const utilizations = devices.map((d) => d.utilization).filter((u): u is number => u !== null);
  const temperatures = devices.map((d) => d.temperatureC).filter((t): t is number => t !== null);
  const nodesByState: FleetTotals['nodesByState'] = { ready: 0, draining: 0, cordoned: 0, lost: 0 };
  for (const node of nodes) nodesByState[node.state] += 1;
  return {
    at: new Date(nowMs).toISOString(),
    totals: {
      nodes: nodes.length,
      nodesByState,
      devices: devices.length,
      healthyDevices: devices.filter((d) => d.healthy).length,
      vramTotalBytes: sum((d) => d.vram.totalBytes),
      vramUsedBytes: sum((d) => d.vram.usedBytes),
      vramPeakBytes: sum((d) => d.vram.peakBytes),
      allocationsSucceeded: sum((d) => d.allocations.succeeded),
      allocationsFailed: sum((d) => d.allocations.failed),
      cpuFallbacks: perNode.reduce((total, n) => total + n.cpuFallbacks, 0),
      softOoms: sum((d) => d.ooms.soft),
      hardOoms: sum((d) => d.ooms.hard),
      meanUtilization:
        utilizations.length === 0 ? null : utilizations.reduce((a, b) => a + b, 0) / utilizations.length,
      maxTemperatureC: temperatures.length === 0 ? null : Math.max(...temperatures),
      powerW: sum((d) => d.powerW ?? 0),
      runningJobs: perNode.reduce((total, n) => total + n.runningJobs, 0),
    },
    nodes: perNode,
  };
}

function nodeStatsOf(node: NodeView): NodeStats {
  return {
    nodeId: node.nodeId,
    state: node.state,
    lastHeartbeatAt: node.lastHeartbeatAt,
    cpuFallbacks: node.fallbacks,
    runningJobs: node.runningJobs,
    devices: node.devices.map((device) => {
      const pool = device.pool;
      const telemetry = device.telemetry;
      // Without a pool report, used VRAM is what the driver says is not free.
      const used = pool?.allocatedBytes ?? Math.max(0, device.memoryTotalBytes - device.memoryFreeBytes);
      return {
        index: device.index,
        uuid: device.uuid,
        name: device.name,
        // A device on a lost node is not counted healthy: nobody can vouch for it.
        healthy: (device.healthy ?? true) && node.state !== 'lost',
        vram: {
          totalBytes: device.memoryTotalBytes,
          usedBytes: used,
          peakBytes: pool?.peakBytes ?? used,
          poolCapacityBytes: pool?.capacityBytes ?? null,
        },
        allocations: { succeeded: pool?.allocations ?? 0, failed: pool?.allocationFailures ?? 0 },
        ooms: { soft: pool?.softOoms ?? 0, hard: pool?.hardOoms ?? 0 },
        utilization: telemetry?.utilization ?? null,
        temperatureC: telemetry?.temperatureC ?? null,
        powerW: telemetry?.powerW ?? null,
        throttling: telemetry?.throttling ?? false,
        xidErrors: telemetry?.xidErrors ?? 0,
      };
    }),
  };
}
