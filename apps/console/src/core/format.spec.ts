import { describe, expect, it } from '@jest/globals';
import {
  formatBytes,
  formatDuration,
  formatInstant,
  formatPercent,
  formatStreamTime,
  formatTemperature,
  formatUsage,
  formatVec3,
  speedOf,
} from './format.js';

describe('format', () => {
  it('sizes bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(80 * 2 ** 30)).toBe('80.0 GiB');
    expect(formatBytes(141 * 2 ** 30)).toBe('141 GiB');
    expect(formatBytes(-2048)).toBe('-2.0 KiB');
    expect(formatBytes(null)).toBe('—');
    expect(formatUsage(2 ** 30, 4 * 2 ** 30)).toBe('1.0 GiB / 4.0 GiB (25 %)');
    expect(formatUsage(0, 0)).toBe('0 B / 0 B (—)');
  });

  it('formats percentages, durations and temperatures', () => {
    expect(formatPercent(0.456)).toBe('46 %');
    expect(formatPercent(0.456, 1)).toBe('45.6 %');
    expect(formatPercent(undefined)).toBe('—');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
    expect(formatDuration(7_380_000)).toBe('2 h 03 min');
    expect(formatDuration(Number.NaN)).toBe('—');
    expect(formatTemperature(64.6)).toBe('65 °C');
    expect(formatTemperature(null)).toBe('—');
  });

  it('formats vectors, speeds, stream times and instants', () => {
    expect(formatVec3([1.2, -0.5, 3])).toBe('(1.20, -0.50, 3.00)');
    expect(speedOf([3, 4, 0])).toBe(5);
    expect(formatStreamTime(12.345)).toBe('12.35 s');
    expect(formatStreamTime(null)).toBe('—');
    expect(formatInstant('2026-01-02T03:04:05.678Z')).toBe('2026-01-02 03:04:05.678 UTC');
    expect(formatInstant('nonsense')).toBe('nonsense');
    expect(formatInstant(null)).toBe('—');
  });
});
