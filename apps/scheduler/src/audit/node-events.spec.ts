import { describe, expect, it } from '@jest/globals';
import type { NodeEvent } from '@voxelfleet/contracts';
import { nodeEventAuditRecord } from './node-events.consumer.js';

const base = { nodeId: 'node-1', at: Date.UTC(2026, 10, 21, 12), detail: {} } as const;

describe('node events in the audit log', () => {
  it('puts a refused kernel in the tenant chain as a failed node action on the job', () => {
    const event: NodeEvent = {
      ...base,
      type: 'kernel.rejected',
      tenantId: 't-1',
      jobId: 'job-9',
      attempt: 2,
      detail: { name: 'scale', code: 'KERNEL_TAMPERED', reason: 'PTX hash differs' },
    };
    expect(nodeEventAuditRecord(event)).toEqual({
      tenantId: 't-1',
      actor: { id: 'node-1', type: 'node', roles: [] },
      action: 'node.kernel.rejected',
      resource: { type: 'job', id: 'job-9' },
      outcome: 'failed',
      reason: 'PTX hash differs',
      diff: {
        name: 'scale',
        code: 'KERNEL_TAMPERED',
        reason: 'PTX hash differs',
        nodeAt: '2026-11-21T12:00:00.000Z',
        attempt: 2,
      },
    });
  });

  it('records a CPU fallback as a succeeded job action', () => {
    const record = nodeEventAuditRecord({
      ...base,
      type: 'job.cpu-fallback',
      tenantId: 't-1',
      jobId: 'job-1',
      detail: { kernel: 'saxpy', reason: 'no CUDA device 0' },
    });
    expect(record).toMatchObject({
      outcome: 'succeeded',
      action: 'node.job.cpu-fallback',
      reason: 'no CUDA device 0',
    });
  });

  it('puts a device taken out of service in the platform chain, on the device', () => {
    const record = nodeEventAuditRecord({
      ...base,
      type: 'device.out-of-service',
      tenantId: null,
      deviceIndex: 1,
      detail: { device: 'NVIDIA H100', reason: 'device lost' },
    });
    expect(record).toMatchObject({
      tenantId: null,
      resource: { type: 'device', id: 'node-1/1' },
      outcome: 'failed',
    });
  });
});
