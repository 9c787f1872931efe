/** One API key's calls to one service over fetch; every answer is counted by status. */
export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
}

export class ApiCalls {
  readonly byStatus: Record<string, number> = {};
  readonly serverErrors: string[] = [];

  count(what: string, status: number, body: unknown): void {
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
    if (status >= 500) this.serverErrors.push(`${what}: ${status} ${JSON.stringify(body).slice(0, 300)}`);
  }

  client(base: string, key: string): ApiClient {
    return new ApiClient(base, key, this);
  }
}

export class ApiClient {
  constructor(
    private readonly base: string,
    private readonly key: string,
    private readonly calls: ApiCalls,
  ) {}

  get<T>(path: string): Promise<ApiAnswer<T>> {
    return this.send<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<ApiAnswer<T>> {
    return this.send<T>('POST', path, body === undefined ? undefined : JSON.stringify(body));
  }

  /** A JSON body already serialised (the client's encoding kept out of a timed loop). */
  postJson<T>(path: string, json: string): Promise<ApiAnswer<T>> {
    return this.send<T>('POST', path, json);
  }

  /** The answer's body, or an error naming the call when the status is not the one expected. */
  async expect<T>(status: number, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const answer = await this.send<T>(method, path, body === undefined ? undefined : JSON.stringify(body));
    if (answer.status !== status)
      throw new Error(
        `${method} ${path}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    return answer.body;
  }

  async text(path: string): Promise<string> {
    const res = await fetch(`${this.base}${path}`, { headers: { authorization: `Bearer ${this.key}` } });
    const text = await res.text();
    this.calls.count(`GET ${path}`, res.status, text.slice(0, 200));
    return text;
  }

  private async send<T>(method: string, path: string, body?: string): Promise<ApiAnswer<T>> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body }),
    });
    const raw = await res.text();
    let parsed: unknown = raw;
    try {
      parsed = raw === '' ? null : JSON.parse(raw);
    } catch {
      // Not JSON: kept as text.
    }
    this.calls.count(`${method} ${path}`, res.status, parsed);
    return { status: res.status, body: parsed as T };
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}
