export interface CallResult {
  /** HTTP status, or 0 when no answer came (connection refused, reset, timeout). */
  status: number;
  body: unknown;
  text: string;
  ms: number;
  error?: string;
}

export interface CallOptions {
  key?: string;
  body?: unknown;
  /** A raw body (multipart, bytes) with its content type; wins over `body`. */
  raw?: { data: Uint8Array | string; contentType?: string };
  timeoutMs?: number;
  headers?: Record<string, string>;
}

/** One HTTP call that never throws: a dead server is a result (status 0), not an exception. */
export async function call(method: string, url: string, options: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | Buffer | undefined;
  if (options.raw) {
    // Without a type the bytes go with no Content-Type header at all.
    if (options.raw.contentType !== undefined) headers['content-type'] = options.raw.contentType;
    body = typeof options.raw.data === 'string' ? options.raw.data : Buffer.from(options.raw.data);
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, text, ms: performance.now() - started };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return {
      status: 0,
      body: undefined,
      text: '',
      ms: performance.now() - started,
      error: cause ?? (error as Error).name,
    };
  }
}
