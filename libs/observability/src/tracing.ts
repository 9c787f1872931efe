import { context, propagation, SpanKind, trace, type Context } from '@opentelemetry/api';

/** Handle returned by startTracing; shutdown flushes and stops the exporter. */
export interface TracingHandle {
  enabled: boolean;
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK when an OTLP endpoint is configured; otherwise does nothing and
 * costs nothing (the API's no-op tracer stays in place). Call before Nest is created.
 */
export async function startTracing(
  serviceName: string,
  endpoint: string | undefined,
): Promise<TracingHandle> {
  if (!endpoint) return { enabled: false, shutdown: () => Promise.resolve() };
  // Loaded only when tracing is on, so a service without an endpoint never pays for the SDK.
  const [{ NodeSDK }, { OTLPTraceExporter }, { HttpInstrumentation }, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/instrumentation-http'),
      import('@opentelemetry/resources'),
    ]);
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    traceExporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }),
    instrumentations: [new HttpInstrumentation()],
  });
  sdk.start();
  return { enabled: true, shutdown: () => sdk.shutdown() };
}

/** Writes the active trace context into a message's headers (W3C traceparent). */
export function injectTraceContext(headers: Record<string, string> = {}): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
}

/**
 * Runs `fn` in a consumer span whose parent is the context carried in `headers`, so work that
 * crossed a queue shows up in the same trace as the request that caused it.
 */
export async function withRemoteContext<T>(
  headers: Record<string, string> | undefined,
  spanName: string,
  fn: (ctx: Context) => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(context.active(), headers ?? {});
  const tracer = trace.getTracer('voxelfleet-transport');
  return tracer.startActiveSpan(spanName, { kind: SpanKind.CONSUMER }, parent, async (span) => {
    try {
      return await fn(context.active());
    } finally {
      span.end();
    }
  });
}
