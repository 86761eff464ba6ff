import { EventCodec, eventHash, readSigningKey, SchemaCatalog, sealEvent, type GateEvaluated } from '@modelreg/events';
import { Client } from 'pg';
import { DLQ_HEADERS } from '@modelreg/kafka';
import { eventually, readAllMessages, startRegistry, testKafka, type TestRegistry } from '@modelreg/testing';
import { getJson, postJson, postReport, registerRun, runBody, uploadArtifact } from './registry-client';

const MODEL = 'risky-model';
const WHERE = { modelName: MODEL, service: 'scoring', surface: 'checkout', environment: 'production' };
const codec = new EventCodec(SchemaCatalog.load());

/**
 * Issue 10's attack: a hand-built GateEvaluated marking a failed version PASSED, appended straight
 * to the gates topic, unsigned or signed with a key not trusted there, and an old decision
 * replayed. None may have any effect: no ModelPromoted, no canary, the refusals dead-lettered.
 */
describe('tamper evidence: forged and replayed gate decisions have no effect', () => {
  let registry: TestRegistry;
  const kafka = testKafka('tamper');

  beforeAll(async () => {
    registry = await startRegistry('tamper');
  });

  afterAll(async () => {
    await registry?.stop();
  });

  it('refuses a hand-built PASSED decision for a failed version, and a replayed one; the canary stays refused', async () => {
    const topics = {
      gates: `${registry.environment.id}.gates.v1`,
      deployments: `${registry.environment.id}.deployments.v1`,
      deadLetter: `${registry.environment.id}.dead-letter.v1`,
    };
    const artifacts = { server: await uploadArtifact(registry.ingestion.url), mobile: await uploadArtifact(registry.ingestion.url) };
    expect(
      (await registerRun(registry.ingestion.url, runBody(MODEL, 'risky-1', artifacts, { auc: 0.9, youngPrecision: 0.7 }))).status,
    ).toBe(201);
    await eventually(
      () => getJson(`${registry.gates.url}/v1/models/${MODEL}/versions/1/decisions`),
      (r) => r.body.items?.[0]?.verdict === 'FAILED',
      { what: 'v1 failed its gate' },
    );
    const [genuine] = await eventually(
      () => readAllMessages(kafka, topics.gates),
      (records) => records.length === 1,
      { what: 'the genuine decision on the log' },
    );
    const genuineBytes = genuine?.value as Buffer;
    const decision = codec.decode(genuineBytes).data as GateEvaluated;
    expect(decision.envelope).toMatchObject({ signingKeyId: expect.stringMatching(/^gate-validator:/), previousEventHash: null });

    const passed = (eventId: string): GateEvaluated => ({
      ...decision,
      envelope: { ...decision.envelope, eventId, signingKeyId: null, signature: null, previousEventHash: null },
      verdict: 'PASSED',
      eligibleForDeployment: true,
      checks: decision.checks.map((check) => ({ ...check, outcome: check.outcome === 'FAILED' ? 'PASSED' : check.outcome })),
      baselines: decision.baselines.map((baseline) => ({ ...baseline, verdict: 'PASSED', eligibleForDeployment: true })),
    });
    const unsigned = codec.encode({ type: 'GateEvaluated', data: passed('00000000-0000-4000-a000-000000000001') });
    const ingestionKey = readSigningKey(registry.environment.env['EVENT_KEYS_DIR'] as string, 'ingestion');
    const wronglySigned = sealEvent(
      codec,
      codec.encode({ type: 'GateEvaluated', data: passed('00000000-0000-4000-a000-000000000002') }),
      ingestionKey,
      eventHash(genuineBytes),
    );
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: topics.gates, messages: [unsigned, wronglySigned, genuineBytes].map((value) => ({ key: MODEL, value })) });
    await producer.disconnect();

    // Each consumer of the gates topic (tracker, projections) dead-letters both forgeries; the replay is a no-op.
    const refusals = await eventually(
      async () =>
        (await readAllMessages(kafka, topics.deadLetter)).filter(
          (letter) => String(letter.headers?.[DLQ_HEADERS.sourceTopic]) === topics.gates,
        ),
      (letters) => letters.length === 4,
      { what: 'the forgeries dead-lettered by both consumers', timeoutMs: 60_000 },
    );
    expect(refusals.map((letter) => String(letter.headers?.[DLQ_HEADERS.reason])).sort()).toEqual([
      expect.stringMatching(/^refused: key ingestion:\w+ \(ingestion\) is not trusted for the gates topic$/),
      expect.stringMatching(/^refused: key ingestion:\w+ \(ingestion\) is not trusted for the gates topic$/),
      'refused: unsigned event on the gates topic',
      'refused: unsigned event on the gates topic',
    ]);

    const canary = await postReport(registry.tracker.url, {
      kind: 'CANARY_STARTED',
      reportId: 'risky-canary',
      reportedAt: new Date(Date.now() - 60_000).toISOString(),
      deploymentId: 'risky-1',
      ...WHERE,
      modelVersion: 1,
      trafficPercent: 5,
    });
    expect(canary).toMatchObject({ status: 409, body: { rule: 'gate-not-passed' } });
    expect((await postJson(`${registry.tracker.url}/v1/promotions`, { ...WHERE, modelVersion: 1 })).status).toBe(409);
    const promoted = (await readAllMessages(kafka, topics.deployments))
      .map((record) => codec.decode(record.value as Buffer))
      .filter((event) => event.type === 'ModelPromoted');
    expect(promoted).toEqual([]);
    const projected = await getJson(`${registry.projections.url}/v1/models/${MODEL}/versions/1`);
    expect(JSON.stringify(projected.body)).not.toContain('"PASSED","eligibleForDeployment":true');
  });

  it("verifies the model's audit trail over HTTP, and detects an event_index row deleted", async () => {
    const verify = () => getJson(`${registry.projections.url}/v1/models/${MODEL}/audit/verify`);
    const intact = await eventually(verify, (r) => r.status === 200 && r.body.verified >= 3, {
      what: 'registration, decision and refusal verified',
    });
    expect(intact.body).toMatchObject({ modelName: MODEL, ok: true, breaks: [] });

    const db = new Client({ connectionString: registry.environment.databaseUrl });
    await db.connect();
    try {
      await db.query("DELETE FROM projections.event_index WHERE model_name = $1 AND event_type = 'GateEvaluated'", [MODEL]);
    } finally {
      await db.end();
    }
    const tampered = await verify();
    expect(tampered.body).toMatchObject({ ok: false, verified: intact.body.verified - 1 });
    expect(tampered.body.breaks).toEqual([
      expect.objectContaining({
        topic: `${registry.environment.id}.gates.v1`,
        reason: expect.stringMatching(/events are missing from the index$/),
      }),
    ]);
  });

  it(
    'names the projected rows edited in Postgres (and the index row deleted above) ' + 'when the state is verified against the log',
    async () => {
      const db = new Client({ connectionString: registry.environment.databaseUrl });
      await db.connect();
      try {
        const edited = await db.query("UPDATE projections.gate_decisions SET verdict = 'PASSED' WHERE model_name = $1 RETURNING event_id", [
          MODEL,
        ]);
        expect(edited.rowCount).toBe(1);
        const decisions = await getJson(`${registry.projections.url}/v1/models/${MODEL}/versions/1/decisions`);
        expect(JSON.stringify(decisions.body)).toContain('PASSED');

        expect((await postJson(`${registry.projections.url}/v1/verify/state`, {})).status).toBe(202);
        const report = await eventually(
          () => getJson(`${registry.projections.url}/v1/verify/state`),
          (r) => r.body.state === 'done' || r.body.state === 'failed',
          { what: 'state verified', timeoutMs: 120_000 },
        );
        expect(report.body).toMatchObject({ state: 'done', drifted: 2 });
        const eventId = (edited.rows[0] as { event_id: string }).event_id;
        expect(report.body.rows).toEqual(
          expect.arrayContaining([
            { table: 'gate_decisions', key: `(${eventId})`, served: expect.any(String), rebuilt: expect.any(String) },
            { table: 'event_index', key: `(${eventId})`, served: null, rebuilt: expect.any(String) },
          ]),
        );
      } finally {
        await db.end();
      }
    },
  );

  it(
    "refuses a canary of the failed version after the tracker's verdict row is edited to PASSED: " +
      'the tracker decides from the signed record',
    async () => {
      const db = new Client({ connectionString: registry.environment.databaseUrl });
      await db.connect();
      try {
        const edited = await db.query(
          "UPDATE deployments.versions SET latest_verdict = 'PASSED', " +
            "placement_verdicts = '[]' WHERE model_name = $1 AND model_version = 1",
          [MODEL],
        );
        expect(edited.rowCount).toBe(1);
      } finally {
        await db.end();
      }
      const canary = await postReport(registry.tracker.url, {
        kind: 'CANARY_STARTED',
        reportId: 'risky-canary-after-edit',
        reportedAt: new Date(Date.now() - 60_000).toISOString(),
        deploymentId: 'risky-2',
        ...WHERE,
        modelVersion: 1,
        trafficPercent: 5,
      });
      expect(canary).toMatchObject({ status: 409, body: { rule: 'gate-not-passed' } });
      expect((await postJson(`${registry.tracker.url}/v1/promotions`, { ...WHERE, modelVersion: 1 })).status).toBe(409);
    },
  );
});
