import { randomBytes } from 'node:crypto';
import { exampleRunSubmissionJson } from '@modelreg/lineage';
import { bearer, createTestEnvironment, eventually, startService, type RunningService, type TestEnvironment } from '@modelreg/testing';
import { startOtlpReceiver, SPAN_KIND, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver';
import { getJson, uploadArtifact } from './registry-client';

const MODEL = 'traced-model';

/**
 * One trace follows a run across the services, exported by their OpenTelemetry SDKs over OTLP/HTTP
 * to a receiver in this test: the caller's span → ingestion's POST /v1/runs → RunRegistered sent →
 * consumed by the gate validator → GateEvaluated sent → consumed (written) by projections.
 */
describe('tracing across services', () => {
  let environment: TestEnvironment;
  let receiver: OtlpReceiver;
  let services: RunningService[] = [];

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    environment = await createTestEnvironment('tracing');
    const env = { ...environment.env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '200' };
    services = await Promise.all((['ingestion', 'gate-validator', 'projections'] as const).map((name) => startService(name, env)));
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await environment?.dispose();
    await receiver?.close();
  });

  it('continues the caller’s trace from the request through the gate decision to the projection write', async () => {
    const [ingestion, gates, projections] = services as [RunningService, RunningService, RunningService];
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const artifact = await uploadArtifact(ingestion.url);
    const response = await fetch(`${ingestion.url}/v1/runs`, {
      method: 'POST',
      body: JSON.stringify(exampleRunSubmissionJson(MODEL, 'train-traced', artifact.sha256, artifact.sizeBytes)),
      headers: { ...bearer(), 'content-type': 'application/json', traceparent: `00-${traceId}-${callerSpanId}-01` },
    });
    expect(response.status).toBe(201);
    await eventually(
      () => getJson(`${gates.url}/v1/models/${MODEL}/versions/1/decisions`),
      (r) => r.status === 200 && r.body.items.length === 1,
      { what: 'the gate decision' },
    );
    await eventually(
      () => getJson(`${projections.url}/v1/models/${MODEL}/versions/1/decisions`),
      (r) => r.status === 200 && r.body.items.length === 1,
      { what: 'the decision projected' },
    );

    const topic = (role: string) => `${environment.id}.${role}.v1`;
    const inTrace = () => receiver.spans.filter((span) => span.traceId === traceId);
    const childOf = (parent: ReceivedSpan | string, service: string, kind: number, eventType?: string) => {
      const parentId = typeof parent === 'string' ? parent : parent.spanId;
      return inTrace().filter(
        (span) =>
          span.parentSpanId === parentId &&
          span.service === service &&
          span.kind === kind &&
          (eventType === undefined || span.attributes['modelreg.event.type'] === eventType),
      );
    };
    const only = (spans: ReceivedSpan[], what: string): ReceivedSpan => {
      if (spans.length !== 1) throw new Error(`expected one ${what}, found ${spans.length} in ${JSON.stringify(inTrace(), null, 1)}`);
      return spans[0] as ReceivedSpan;
    };
    const chain = () => {
      const request = only(childOf(callerSpanId, 'ingestion', SPAN_KIND.server), 'ingestion request span');
      const registered = only(childOf(request, 'ingestion', SPAN_KIND.producer, 'RunRegistered'), 'RunRegistered send');
      const evaluating = only(
        childOf(registered, 'gate-validator', SPAN_KIND.consumer, 'RunRegistered'),
        'gate-validator consuming RunRegistered',
      );
      const evaluated = only(childOf(evaluating, 'gate-validator', SPAN_KIND.producer, 'GateEvaluated'), 'GateEvaluated send');
      const projected = only(childOf(evaluated, 'projections', SPAN_KIND.consumer, 'GateEvaluated'), 'projections writing GateEvaluated');
      const projectedRun = only(
        childOf(registered, 'projections', SPAN_KIND.consumer, 'RunRegistered'),
        'projections writing RunRegistered',
      );
      return { request, registered, evaluating, evaluated, projected, projectedRun };
    };
    // The services export every 200 ms; the chain is complete once each has exported its part.
    const spans = await eventually(
      async () => chain(),
      () => true,
      { what: 'the whole chain exported', timeoutMs: 30_000 },
    );

    expect(spans.request).toMatchObject({
      name: 'POST /v1/runs',
      attributes: { 'http.route': '/v1/runs', 'http.response.status_code': 201, 'http.request.method': 'POST' },
    });
    expect(spans.registered).toMatchObject({
      name: `send ${topic('lineage')}`,
      attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic('lineage') },
    });
    expect(spans.evaluating).toMatchObject({
      name: `process ${topic('lineage')}`,
      attributes: { 'messaging.consumer.group.name': expect.stringContaining('gate-validator'), 'messaging.kafka.offset': 0 },
    });
    expect(spans.evaluated.attributes['messaging.destination.name']).toBe(topic('gates'));
    expect(spans.projected).toMatchObject({
      name: `process ${topic('gates')}`,
      attributes: { 'messaging.destination.name': topic('gates'), 'messaging.consumer.group.name': expect.stringContaining('projections') },
    });
    expect(spans.projectedRun.attributes['messaging.message.id']).toBe(spans.registered.attributes['messaging.message.id']);
    // Readiness probes (startService polled them) are not traced; other requests are, each in a trace of its own.
    expect(receiver.spans.filter((span) => String(span.attributes['url.path']).startsWith('/health'))).toEqual([]);
    const upload = receiver.spans.filter((span) => span.service === 'ingestion' && span.name === 'PUT /v1/artifacts/:sha256');
    expect(upload).toEqual([
      expect.objectContaining({ parentSpanId: '', attributes: expect.objectContaining({ 'http.response.status_code': 201 }) }),
    ]);
    expect(upload[0]?.traceId).not.toBe(traceId);
  });
});
