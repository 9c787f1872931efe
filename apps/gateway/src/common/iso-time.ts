let lastMs = Number.NaN;
let lastText = '';

/**
 * `new Date(ms).toISOString()`, remembered for the last instant asked: answers in a row often
 * state the same millisecond (a quota read's time under load, a simulation's start on one
 * fleet picture), and formatting a date is a good part of a small answer's own work.
 */
export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastText = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastText;
}
