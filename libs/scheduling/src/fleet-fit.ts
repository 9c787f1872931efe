import type { Rejection } from './blockers.js';
import type { DeviceClass } from './device-class.js';
import { staticMismatch } from './device-eligibility.js';
import type { JobSpec, NodeSnapshot } from './snapshot.types.js';
import { fleetIndexOf } from './fleet-index.js';
import { formatBytes } from './units.js';

/**
 * Rejects a job no registered node could ever run, whatever it is doing now. Lost, draining
 * and cordoned nodes still count: they may come back, and a job should not be refused for a
 * state an operator can undo.
 */
export function neverFitsFleet(
  job: JobSpec,
  nodes: readonly NodeSnapshot[],
  deviceClass: DeviceClass | null,
  cpuFallbackPermitted: boolean,
): Rejection | null {
  const wantedNode = job.affinity?.nodeId;
  const considered = consideredNodes(nodes, wantedNode);
  if (wantedNode !== undefined && considered.length === 0) {
    return { code: 'never-fits-fleet', reason: `node affinity names unknown node ${wantedNode}` };
  }
  let mostOnOneNode = 0;
  let largestMatching = 0;
  let anyClassMatch = false;
  for (const node of considered) {
    let fitting = 0;
    for (const device of node.devices) {
      const classOnly = staticMismatch(device, { vramBytesPerDevice: 0 }, deviceClass);
      if (classOnly !== null) continue;
      anyClassMatch = true;
      largestMatching = Math.max(largestMatching, device.capability.memoryBytes);
      if (staticMismatch(device, job, deviceClass) === null) fitting += 1;
    }
    mostOnOneNode = Math.max(mostOnOneNode, fitting);
  }
  if (mostOnOneNode >= job.gpus) return null;
  if (cpuFallbackPermitted && considered.some((node) => (node.cpuSlots?.total ?? 0) > 0)) return null;

  const where = wantedNode === undefined ? 'the fleet' : `node ${wantedNode}`;
  let reason: string;
  if (considered.length === 0) {
    reason = 'no nodes are registered';
  } else if (!anyClassMatch) {
    reason = `no device in ${where} matches device class ${deviceClass?.source ?? '(any)'}`;
  } else if (largestMatching < job.vramBytesPerDevice) {
    reason = `needs ${formatBytes(job.vramBytesPerDevice)} per device; the largest matching device in ${where} has ${formatBytes(largestMatching)}`;
  } else {
    reason = `needs ${job.gpus} matching GPUs on one node; at most ${mostOnOneNode} share a node in ${where}`;
  }
  return { code: 'never-fits-fleet', reason };
}

/**
 * The nodes to check: the pinned one, or the whole fleet. With a pass's index, one node of
 * each make-up stands for all (the check reads capabilities and CPU slot totals only, so the
 * answer is the same), and a pinned node is looked up instead of searched for.
 */
function consideredNodes(
  nodes: readonly NodeSnapshot[],
  wantedNode: string | undefined,
): readonly NodeSnapshot[] {
  const index = fleetIndexOf(nodes);
  if (!index) return wantedNode === undefined ? nodes : nodes.filter((node) => node.id === wantedNode);
  if (wantedNode === undefined) return [...index.shapes.values()].map((shape) => shape.sample);
  const position = index.position(wantedNode);
  return position === undefined ? [] : [nodes[position] as NodeSnapshot];
}
