import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import {
  booleanFlag,
  commonSchema,
  databaseSchema,
  ConfigError,
  parseConfig,
  port,
} from '@voxelfleet/config';

const schema = z.object({ PORT: port(3000), ...commonSchema, ...databaseSchema });

describe('parseConfig', () => {
  it('applies defaults and coerces types', () => {
    const config = parseConfig(schema, { DATABASE_URL: 'postgres://u@h/db' });
    expect(config.PORT).toBe(3000);
    expect(config.MIGRATE_AT_START).toBe(true);
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('names a missing required variable', () => {
    expect(() => parseConfig(schema, {})).toThrow(new ConfigError('DATABASE_URL', 'is required'));
  });

  it('names the variable and the reason for a bad value', () => {
    expect(() => parseConfig(schema, { DATABASE_URL: 'postgres://x', PORT: '70000' })).toThrow(
      /^invalid configuration: PORT: /,
    );
    expect(() => parseConfig(schema, { DATABASE_URL: 'mysql://x' })).toThrow(
      'DATABASE_URL: must be a postgres:// URL',
    );
  });

  it('reads boolean flags strictly', () => {
    const flags = z.object({ F: booleanFlag(false) });
    expect(parseConfig(flags, { F: 'yes' }).F).toBe(true);
    expect(parseConfig(flags, {}).F).toBe(false);
    expect(() => parseConfig(flags, { F: 'maybe' })).toThrow('F: must be true or false');
  });
});
