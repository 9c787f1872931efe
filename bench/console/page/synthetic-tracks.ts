/**
 * A track.update message as the tracker sends it (same fields and rounding), for `tracks`
 * targets on helices through the grid at stream time t.
 */
export function syntheticUpdate(tracks: number, t: number, frameSeq: number): string {
  const list = [];
  for (let id = 1; id <= tracks; id++) {
    const phase = (id * 2 * Math.PI) / tracks;
    const radius = 1 + (id % 7) * 0.5;
    const w = 0.4 + (id % 5) * 0.1;
    const angle = phase + w * t;
    const position = [radius * Math.cos(angle), radius * Math.sin(angle), 1 + 0.8 * Math.sin(0.5 * t + id)];
    const velocity = [
      -radius * w * Math.sin(angle),
      radius * w * Math.cos(angle),
      0.4 * Math.cos(0.5 * t + id),
    ];
    list.push({
      trackId: id,
      t,
      position: position.map((v) => Number(v.toFixed(4))),
      velocity: velocity.map((v) => Number(v.toFixed(4))),
      covariance: [0.01, 0, 0, 0, 0.01, 0, 0, 0, 0.01],
      confidence: 0.9,
      state: 'confirmed',
    });
  }
  return JSON.stringify({ streamId: 'bench', frameSeq, t, detectedAt: Date.now(), tracks: list });
}
