import { BullMqTransport } from '@voxelfleet/transport';
import { describeTransportContract } from '../../libs/transport/src/testing/transport-contract.js';
import { testRedisUrl } from '../support/env.js';

const LOCK_MS = 1_000;

describeTransportContract('bullmq', {
  create: () =>
    Promise.resolve(
      new BullMqTransport({
        url: testRedisUrl(),
        prefix: `vf-test-${process.pid}`,
        lockDurationMs: LOCK_MS,
        stalledIntervalMs: 500,
      }),
    ),
  stallMs: LOCK_MS * 2,
});
