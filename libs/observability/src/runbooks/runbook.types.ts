/** What one runbook's detection list names, as `parseRunbooks` returns it. */
export interface Runbook {
  /** The anchor (`<a id="...">`) before the runbook's heading: alerts link to it. */
  readonly id: string;
  readonly title: string;
  readonly alerts: readonly AlertRef[];
  readonly metrics: readonly MetricRef[];
  readonly logs: readonly LogRef[];
  readonly endpoints: readonly EndpointRef[];
}

export type DetectionKind = 'alert' | 'metric' | 'log' | 'endpoint';

interface DetectionItem {
  /** Free text after the value, e.g. what to look for or which service logs it. */
  readonly note?: string;
  /** 1-based line in the markdown, for error messages of the tools that follow the runbook. */
  readonly line: number;
}

export interface AlertRef extends DetectionItem {
  readonly name: string;
}

export interface LabelMatcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

export interface MetricRef extends DetectionItem {
  /** As written: `voxelfleet_fleet_nodes{state="lost"}`. */
  readonly selector: string;
  /** The metric family: `voxelfleet_fleet_nodes`. */
  readonly name: string;
  readonly matchers: readonly LabelMatcher[];
}

export interface LogRef extends DetectionItem {
  /** A substring of the JSON log line, as written. */
  readonly text: string;
  /** The message when the text is `"msg":"..."`. */
  readonly msg?: string;
  /** The service named first in the note's parentheses, e.g. `(gpu-node)`. */
  readonly service?: string;
}

export interface EndpointRef extends DetectionItem {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** With path parameters as `{id}`, as the OpenAPI document writes them. */
  readonly path: string;
}
