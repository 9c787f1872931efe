import { InProcessTransport } from '../in-process/in-process.transport.js';
import { describeTransportContract } from '../testing/transport-contract.js';

describeTransportContract('in-process', {
  create: () => Promise.resolve(new InProcessTransport()),
  stallMs: 0,
});
