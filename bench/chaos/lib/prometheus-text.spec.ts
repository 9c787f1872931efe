import { describe, expect, it } from '@jest/globals';
import { hasMetric, metricSum, parsePrometheusText } from './prometheus-text.js';

const TEXT = `# HELP voxelfleet_fleet_nodes nodes by state
# TYPE voxelfleet_fleet_nodes gauge
voxelfleet_fleet_nodes{state="ready"} 2
voxelfleet_fleet_nodes{state="lost"} 1
voxelfleet_scheduler_leader 1
voxelfleet_http_request_duration_seconds_bucket{le="0.1",route="/a \\"q\\""} 5
`;

describe('parsePrometheusText', () => {
  it('reads names, labels (escaped quotes too) and values', () => {
    const samples = parsePrometheusText(TEXT);
    expect(samples).toHaveLength(4);
    expect(samples[3]?.labels).toEqual({ le: '0.1', route: '/a "q"' });
    expect(metricSum(samples, 'voxelfleet_fleet_nodes')).toBe(3);
    expect(metricSum(samples, 'voxelfleet_fleet_nodes', { state: 'lost' })).toBe(1);
    expect(metricSum(samples, 'voxelfleet_scheduler_leader')).toBe(1);
  });

  it('knows a histogram by its family name', () => {
    const samples = parsePrometheusText(TEXT);
    expect(hasMetric(samples, 'voxelfleet_http_request_duration_seconds')).toBe(true);
    expect(hasMetric(samples, 'voxelfleet_gpu_oom')).toBe(false);
  });
});
