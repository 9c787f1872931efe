import { jest } from '@jest/globals';

// e2e tests start real processes and talk to real services; give them room.
jest.setTimeout(60_000);
