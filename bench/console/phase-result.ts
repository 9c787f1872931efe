/** What one phase of the console bench measured in the page (see page/bench-page.ts). */
export interface PhaseResult {
  /** requestAnimationFrame timestamp deltas, ms. */
  intervals: number[];
  updatesIngested: number;
  framesRendered: number;
  tracksDrawn: number;
  trailVertices: number;
}
