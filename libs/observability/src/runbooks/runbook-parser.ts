import type {
  AlertRef,
  DetectionKind,
  EndpointRef,
  LabelMatcher,
  LogRef,
  MetricRef,
  Runbook,
} from './runbook.types.js';

/** A runbook page that does not follow the format; names the line and what is wrong. */
export class RunbookFormatError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`runbooks line ${line}: ${reason}`);
    this.name = 'RunbookFormatError';
  }
}

const ANCHOR = /^<a id="([a-z0-9][a-z0-9-]*)"><\/a>\s*$/;
const RUNBOOK_HEADING = /^## (.+?)\s*$/;
const DETECTION_HEADING = /^### Detection\s*$/;
const ANY_HEADING = /^#{1,6} /;
const ITEM = /^- (\w+): `([^`]+)`(?:\s+(.*?))?\s*$/;
const METRIC = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?$/;
const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/;
const ENDPOINT = /^(GET|POST|PUT|PATCH|DELETE) (\/[^\s?#]*)$/;
const MSG = /^"msg":"((?:[^"\\]|\\.)*)"$/;
const SERVICE = /^\(([a-z][a-z0-9-]*)[,)\s]/;
const KINDS: readonly DetectionKind[] = ['alert', 'metric', 'log', 'endpoint'];

interface Draft {
  id: string;
  title: string;
  line: number;
  alerts: AlertRef[];
  metrics: MetricRef[];
  logs: LogRef[];
  endpoints: EndpointRef[];
  hasDetection: boolean;
}

/**
 * Reads the runbooks page: every `## ` section that has a `### Detection` list is a runbook,
 * named by the `<a id="...">` anchor just above its heading. Detection items are
 * `- <kind>: \`<value>\` <note>` lines; anything else in that list is an error, so a typo
 * fails loudly instead of dropping a detection step.
 */
export function parseRunbooks(markdown: string): Runbook[] {
  const lines = markdown.split(/\r?\n/);
  const runbooks: Draft[] = [];
  let current: Draft | null = null;
  let pendingAnchor: { id: string; line: number } | null = null;
  let inDetection = false;
  let inFence = false;

  lines.forEach((text, index) => {
    const line = index + 1;
    if (/^\s*```/.test(text)) {
      inFence = !inFence;
      return;
    }
    if (inFence) return;
    const anchor = ANCHOR.exec(text);
    if (anchor) {
      pendingAnchor = { id: anchor[1]!, line };
      return;
    }
    const heading = RUNBOOK_HEADING.exec(text);
    if (heading) {
      current = {
        id: pendingAnchor?.id ?? '',
        title: heading[1]!,
        line,
        alerts: [],
        metrics: [],
        logs: [],
        endpoints: [],
        hasDetection: false,
      };
      runbooks.push(current);
      pendingAnchor = null;
      inDetection = false;
      return;
    }
    if (text.trim() !== '') pendingAnchor = null;
    if (DETECTION_HEADING.test(text)) {
      if (!current) throw new RunbookFormatError(line, '### Detection outside a ## runbook section');
      const section: Draft = current;
      if (section.hasDetection)
        throw new RunbookFormatError(line, `"${section.title}" has two Detection lists`);
      section.hasDetection = true;
      inDetection = true;
      return;
    }
    if (ANY_HEADING.test(text)) {
      inDetection = false;
      return;
    }
    if (!inDetection || text.trim() === '' || !current) return;
    addItem(current, text, line);
  });
  if (inFence) throw new RunbookFormatError(lines.length, 'a code fence is never closed');
  return finish(runbooks);
}

function addItem(runbook: Draft, text: string, line: number): void {
  const item = ITEM.exec(text);
  if (!item) {
    throw new RunbookFormatError(line, 'a Detection line must read "- <kind>: `<value>` <optional note>"');
  }
  const kind = item[1]!;
  const value = item[2]!;
  const note = item[3] ? { note: item[3] } : {};
  switch (kind as DetectionKind) {
    case 'alert':
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value))
        throw new RunbookFormatError(line, `alert: "${value}" is not an alert name`);
      runbook.alerts.push({ name: value, line, ...note });
      return;
    case 'metric':
      runbook.metrics.push({ ...parseSelector(value, line), line, ...note });
      return;
    case 'log':
      runbook.logs.push({ ...parseLog(value, item[3]), line, ...note });
      return;
    case 'endpoint': {
      const endpoint = ENDPOINT.exec(value);
      if (!endpoint) {
        throw new RunbookFormatError(
          line,
          `endpoint: "${value}" must be "METHOD /path" (GET, POST, PUT, PATCH, DELETE)`,
        );
      }
      runbook.endpoints.push({
        method: endpoint[1] as EndpointRef['method'],
        path: endpoint[2]!,
        line,
        ...note,
      });
      return;
    }
    default:
      throw new RunbookFormatError(line, `unknown kind "${kind}"; one of ${KINDS.join(', ')}`);
  }
}

/** `name` or `name{label="value",...}`: the family name and its label matchers. */
export function parseSelector(selector: string, line = 0): Omit<MetricRef, 'line' | 'note'> {
  const metric = METRIC.exec(selector);
  if (!metric) throw new RunbookFormatError(line, `metric: "${selector}" is not a metric name or selector`);
  const matchers: LabelMatcher[] = [];
  let rest = metric[2] ?? '';
  while (rest.trim() !== '') {
    const matcher = MATCHER.exec(rest);
    if (!matcher)
      throw new RunbookFormatError(line, `metric: cannot read the label matchers of "${selector}"`);
    matchers.push({ label: matcher[1]!, op: matcher[2] as LabelMatcher['op'], value: matcher[3]! });
    rest = rest.slice(matcher[0].length);
  }
  return { selector, name: metric[1]!, matchers };
}

function parseLog(text: string, note: string | undefined): Omit<LogRef, 'line' | 'note'> {
  const msg = MSG.exec(text);
  const service = note === undefined ? null : SERVICE.exec(note);
  return {
    text,
    ...(msg ? { msg: JSON.parse(`"${msg[1]!}"`) as string } : {}),
    ...(service ? { service: service[1]! } : {}),
  };
}

function finish(drafts: Draft[]): Runbook[] {
  const seen = new Set<string>();
  const out: Runbook[] = [];
  for (const draft of drafts) {
    if (!draft.hasDetection) continue;
    if (draft.id === '') {
      throw new RunbookFormatError(
        draft.line,
        `"${draft.title}" needs an <a id="..."></a> anchor just above its heading`,
      );
    }
    if (seen.has(draft.id)) throw new RunbookFormatError(draft.line, `anchor "${draft.id}" is used twice`);
    seen.add(draft.id);
    const count = draft.alerts.length + draft.metrics.length + draft.logs.length + draft.endpoints.length;
    if (count === 0) throw new RunbookFormatError(draft.line, `"${draft.title}" has an empty Detection list`);
    const { id, title, alerts, metrics, logs, endpoints } = draft;
    out.push({ id, title, alerts, metrics, logs, endpoints });
  }
  return out;
}
