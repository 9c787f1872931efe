/** Byte multipliers accepted in device-class expressions and used by fixtures. */
export const BYTE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

/** Formats bytes for reasons shown to people (pending reasons, rejections). */
export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs >= GIB) return `${trim(bytes / GIB)} GiB`;
  if (abs >= MIB) return `${trim(bytes / MIB)} MiB`;
  if (abs >= 1024) return `${trim(bytes / 1024)} KiB`;
  return `${bytes} B`;
}

export function formatDurationMs(ms: number): string {
  if (ms < 1000) return `${Math.ceil(ms)} ms`;
  if (ms < 120_000) return `${trim(ms / 1000)} s`;
  if (ms < 7_200_000) return `${trim(ms / 60_000)} min`;
  return `${trim(ms / 3_600_000)} h`;
}

function trim(value: number): string {
  return Number(value.toFixed(2)).toString();
}
