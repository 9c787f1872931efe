const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.5 KiB"; binary units, as VRAM is sized. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${bytes < 0 ? '-' : ''}${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** A fraction (0..1) as a percentage; "—" when unknown. */
export function formatPercent(fraction: number | null | undefined, digits = 0): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  return `${(fraction * 100).toFixed(digits)} %`;
}

/** Used of total as "3.0 GiB / 80 GiB (4 %)". */
export function formatUsage(used: number, total: number): string {
  return `${formatBytes(used)} / ${formatBytes(total)} (${formatPercent(total > 0 ? used / total : null)})`;
}

/** Milliseconds as "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const totalSeconds = Math.round(s);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

export function formatTemperature(celsius: number | null | undefined): string {
  return celsius === null || celsius === undefined || !Number.isFinite(celsius)
    ? '—'
    : `${Math.round(celsius)} °C`;
}

/** A vector to `digits` decimals: "(1.20, -0.50, 3.00)". */
export function formatVec3(v: readonly number[], digits = 2): string {
  return `(${v
    .slice(0, 3)
    .map((x) => x.toFixed(digits))
    .join(', ')})`;
}

/** Speed (norm of a velocity) in m/s. */
export function speedOf(v: readonly number[]): number {
  return Math.hypot(v[0] ?? 0, v[1] ?? 0, v[2] ?? 0);
}

/** Stream time in seconds as "12.35 s". */
export function formatStreamTime(t: number | null): string {
  return t === null ? '—' : `${t.toFixed(2)} s`;
}

/** An ISO instant as the local "YYYY-MM-DD HH:MM:SS.mmm" a reader compares at a glance. */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().replace('T', ' ').replace('Z', ' UTC');
}
