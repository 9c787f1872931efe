import { describe, expect, it } from '@jest/globals';
import { layoutDag } from './dag-layout.js';

describe('layoutDag', () => {
  it('places each step one column right of its deepest dependency', () => {
    const layout = layoutDag(
      [
        { key: 'a', durationMs: 1, dependsOn: [] },
        { key: 'c', durationMs: 1, dependsOn: ['a'] },
        { key: 'b', durationMs: 1, dependsOn: ['a'] },
        { key: 'd', durationMs: 1, dependsOn: ['b', 'a'] },
      ],
      { columnWidth: 100, rowHeight: 50, margin: 10 },
    );
    const at = Object.fromEntries(layout.steps.map((s) => [s.key, [s.layer, s.row, s.x, s.y]]));
    expect(at).toEqual({ a: [0, 0, 10, 10], b: [1, 0, 110, 10], c: [1, 1, 110, 60], d: [2, 0, 210, 10] });
    expect(layout.edges).toContainEqual({ from: 'b', to: 'd' });
    expect(layout.edges).toHaveLength(4);
    expect([layout.width, layout.height]).toEqual([320, 120]);
  });
});
