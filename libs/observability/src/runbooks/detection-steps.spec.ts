import { describe, expect, it } from '@jest/globals';
import { detectionSteps } from './detection-steps.js';
import { parseRunbooks } from './runbook-parser.js';

describe('detectionSteps', () => {
  it('lists every item of a runbook once, in page order, with a readable label', () => {
    const [runbook] = parseRunbooks(
      [
        '<a id="redis-down"></a>',
        '## Redis down',
        '### Detection',
        '- endpoint: `GET /health/ready` 503',
        '- alert: `VoxelfleetRedisDown`',
        '- log: `"msg":"heartbeat not sent"` (gpu-node)',
        '- metric: `voxelfleet_dependency_up{dependency="transport"}`',
      ].join('\n'),
    );
    expect(detectionSteps(runbook!)).toEqual([
      { runbook: 'redis-down', kind: 'endpoint', label: 'endpoint GET /health/ready', line: 4 },
      { runbook: 'redis-down', kind: 'alert', label: 'alert VoxelfleetRedisDown', line: 5 },
      { runbook: 'redis-down', kind: 'log', label: 'log "msg":"heartbeat not sent" (gpu-node)', line: 6 },
      {
        runbook: 'redis-down',
        kind: 'metric',
        label: 'metric voxelfleet_dependency_up{dependency="transport"}',
        line: 7,
      },
    ]);
  });
});
