import { topologicalOrder, type DagStep } from './critical-path.js';

export interface LaidOutStep {
  key: string;
  /** Column: the longest number of edges from a root. */
  layer: number;
  /** Row within the column, in key order. */
  row: number;
  x: number;
  y: number;
}

export interface DagLayout {
  steps: LaidOutStep[];
  edges: { from: string; to: string }[];
  width: number;
  height: number;
}

export interface LayoutOptions {
  columnWidth: number;
  rowHeight: number;
  margin: number;
}

/** Steps in columns by depth, left to right, for an SVG drawing of a workflow. */
export function layoutDag(
  steps: readonly DagStep[],
  { columnWidth, rowHeight, margin }: LayoutOptions = { columnWidth: 180, rowHeight: 70, margin: 20 },
): DagLayout {
  const byKey = new Map(steps.map((step) => [step.key, step]));
  const layer = new Map<string, number>();
  for (const key of topologicalOrder(steps)) {
    const deps = byKey.get(key)!.dependsOn;
    layer.set(key, deps.length === 0 ? 0 : 1 + Math.max(...deps.map((dep) => layer.get(dep)!)));
  }
  const columns = new Map<number, string[]>();
  for (const [key, column] of layer) columns.set(column, [...(columns.get(column) ?? []), key]);
  const laidOut: LaidOutStep[] = [];
  let maxRows = 0;
  for (const [column, keys] of [...columns.entries()].sort(([a], [b]) => a - b)) {
    keys.sort();
    maxRows = Math.max(maxRows, keys.length);
    keys.forEach((key, row) =>
      laidOut.push({
        key,
        layer: column,
        row,
        x: margin + column * columnWidth,
        y: margin + row * rowHeight,
      }),
    );
  }
  return {
    steps: laidOut,
    edges: steps.flatMap((step) => step.dependsOn.map((dep) => ({ from: dep, to: step.key }))),
    width: 2 * margin + Math.max(1, columns.size) * columnWidth,
    height: 2 * margin + Math.max(1, maxRows) * rowHeight,
  };
}
