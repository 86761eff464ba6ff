import {
  emptyPlacement,
  evolvePlacement,
  isPlacementEvent,
  samePlacement,
  servingView,
  type Placement,
  type PlacementEvent,
} from '@modelreg/deployments';
import { EventCodec, SchemaCatalog, withoutSeal, type GateEvaluated, type RegistryEvent } from '@modelreg/events';
import { sampleReportBodies } from '@modelreg/deployments-testing';
import {
  eventually,
  readAllMessages,
  startRegistry,
  testKafka,
  type RunningService,
  type TestEnvironment,
  type TestRegistry,
} from '@modelreg/testing';
import { getJson, postJson, postReport, registerRun, runBody, uploadArtifact } from './registry-client';

const codec = new EventCodec(SchemaCatalog.load());
const JAN = (day: number, hour = 9) => new Date(Date.UTC(2024, 0, day, hour)).toISOString();

/** The serving view a service shows for one placement, in the shape every service can be compared in. */
function comparable(item: Record<string, any> | undefined) {
  if (!item) return null;
  const since = item['servingSince'];
  return {
    servingVersion: item['servingVersion'],
    servingDeploymentId: item['servingDeploymentId'],
    servingSince: since === null ? null : typeof since === 'number' ? since : Date.parse(since),
    servedVersions: item['servedVersions'],
    canaries: (item['canaries'] as Array<Record<string, unknown>>)
      .map(({ deploymentId, modelVersion, trafficPercent, baselineVersion }) => ({
        deploymentId,
        modelVersion,
        trafficPercent,
        baselineVersion,
      }))
      .sort((a, b) => String(a.deploymentId).localeCompare(String(b.deploymentId))),
  };
}

/**
 * What serves where, end to end: the tracker, the gate validator and the projections fold the
 * same events through the same placement fold and agree; the gate compares a candidate with the
 * serving version of every placement and the tracker promotes it only where it passed; rebuilding
 * the gate from the log reproduces its decisions byte for byte.
 */
describe('serving placements across the services', () => {
  let registry: TestRegistry;
  let environment: TestEnvironment;
  let ingestion: RunningService;
  let gates: RunningService;
  let tracker: RunningService;
  let projections: RunningService;
  let artifacts: { server: { sha256: string; sizeBytes: number }; mobile: { sha256: string; sizeBytes: number } };

  beforeAll(async () => {
    registry = await startRegistry('placements');
    ({ environment, ingestion, gates, tracker, projections } = registry);
    artifacts = { server: await uploadArtifact(ingestion.url, 8192), mobile: await uploadArtifact(ingestion.url, 2048) };
  });

  afterAll(() => registry?.stop());

  const deploymentsLog = async () =>
    (await readAllMessages(testKafka('placements-reader'), `${environment.id}.deployments.v1`)).map((message) =>
      codec.decode(message.value),
    );
  const register = async (modelName: string, aucs: number[], from = 1) => {
    for (const [index, auc] of aucs.entries())
      expect((await registerRun(ingestion.url, runBody(modelName, `${modelName}-${from + index}`, artifacts, { auc }))).status).toBe(201);
  };
  const decision = (modelName: string, version: number) =>
    eventually(
      () => getJson(`${gates.url}/v1/models/${modelName}/versions/${version}/decisions`),
      (r) => r.body.items?.length > 0,
      { what: `${modelName} v${version} decided` },
    ).then((r) => r.body.items[0] as GateEvaluated);
  /** Promotes a version to a placement once the tracker knows its verdict (201), or returns the refusal. */
  const promote = (where: Placement, modelVersion: number) =>
    eventually(
      () => postJson(`${tracker.url}/v1/promotions`, { ...where, modelVersion }),
      (r) => r.status === 201 || r.body['message']?.includes('failed'),
      { what: `promotion of v${modelVersion}` },
    );
  /** The serving view of a placement in each of the three services. */
  const views = async (where: Placement) => {
    const [fromTracker, fromGate, fromProjections] = await Promise.all([
      getJson(`${tracker.url}/v1/deployments/placements?modelName=${where.modelName}`),
      getJson(`${gates.url}/v1/models/${where.modelName}/placements`),
      getJson(`${projections.url}/v1/deployed?modelName=${where.modelName}`),
    ]);
    const find = (items: any[]) => comparable(items.find((item) => samePlacement({ modelName: where.modelName, ...item }, where)));
    return { tracker: find(fromTracker.body.items), gate: find(fromGate.body.items), projections: find(fromProjections.body.items) };
  };
  const allAgreeOn = (where: Placement, expected: ReturnType<typeof comparable>) =>
    eventually(
      () => views(where),
      (seen) => [seen.tracker, seen.gate, seen.projections].every((view) => JSON.stringify(view) === JSON.stringify(expected)),
      { what: `tracker, gate and projections agree on ${where.surface}`, timeoutMs: 60_000 },
    );

  it('a sample of random reports: the three services show what the placement fold of the log computes', async () => {
    const where: Placement = { modelName: 'sampled-model', service: 'scoring', surface: 'checkout', environment: 'production' };
    await register(where.modelName, [0.9, 0.91, 0.92]);
    for (const version of [1, 2, 3]) expect((await promote(where, version)).status).toBe(201);
    const bodies = sampleReportBodies(where, {
      deploymentIds: ['s1', 's2', 's3', 's4'],
      versions: [1, 2, 3],
      count: 40,
      seed: 9,
      start: Date.parse(JAN(2)),
    });
    const outcomes = new Set<number>();
    for (const body of bodies) outcomes.add((await postReport(tracker.url, body)).status);
    expect([...outcomes].every((status) => [201, 404, 409].includes(status))).toBe(true);
    expect(outcomes).toContain(201);

    const fold = async () => {
      const events = (await deploymentsLog()).filter(
        (event): event is RegistryEvent & PlacementEvent => isPlacementEvent(event) && samePlacement(event.data, where),
      );
      return { count: events.length, view: servingView(events.reduce(evolvePlacement, emptyPlacement(where))) };
    };
    const appended = bodies.length;
    const expected = await eventually(fold, (result) => result.count > 0, { what: `the sampled events (${appended} reports) on the log` });
    const agreed = await allAgreeOn(where, comparable(expected.view as unknown as Record<string, any>));
    expect(agreed.tracker).toEqual(comparable(expected.view as unknown as Record<string, any>));
  });

  it(
    'v3 serves one surface and v4 another: one baseline each, promotion only where v5 passed; ' +
      'retiring the serving deployment leaves nothing serving anywhere',
    async () => {
      const model = 'split-model';
      const alpha: Placement = { modelName: model, service: 'ranking', surface: 'alpha', environment: 'production' };
      const beta: Placement = { ...alpha, surface: 'beta' };
      await register(model, [0.9, 0.91, 0.92, 0.93]);
      expect((await decision(model, 4)).verdict).toBe('PASSED');
      for (const [where, version, id] of [
        [alpha, 3, 'a3'],
        [beta, 4, 'b4'],
      ] as const) {
        expect((await promote(where, version)).status).toBe(201);
        expect(
          (
            await postReport(tracker.url, {
              kind: 'CANARY_STARTED',
              reportId: `${id}-canary`,
              reportedAt: JAN(10),
              deploymentId: id,
              ...where,
              modelVersion: version,
              trafficPercent: 10,
            })
          ).status,
        ).toBe(201);
        expect(
          (await postReport(tracker.url, { kind: 'ROLLOUT_COMPLETED', reportId: `${id}-rollout`, reportedAt: JAN(11), deploymentId: id }))
            .status,
        ).toBe(201);
      }
      await allAgreeOn(alpha, {
        servingVersion: 3,
        servingDeploymentId: 'a3',
        servingSince: Date.parse(JAN(11)),
        servedVersions: [3],
        canaries: [],
      });
      await allAgreeOn(beta, {
        servingVersion: 4,
        servingDeploymentId: 'b4',
        servingSince: Date.parse(JAN(11)),
        servedVersions: [4],
        canaries: [],
      });

      // v5: +0.008 AUC over v3 (passes), -0.002 under v4 (fails).
      await register(model, [0.928], 5);
      const v5 = await decision(model, 5);
      expect(v5.baselines.map((b) => [b.placement?.surface, b.baselineVersion, b.baselineRule, b.verdict])).toEqual([
        ['alpha', 3, 'serving-full-traffic:production', 'PASSED'],
        ['beta', 4, 'serving-full-traffic:production', 'FAILED'],
      ]);
      expect(v5).toMatchObject({ verdict: 'FAILED', eligibleForDeployment: false, baselineVersion: 4 });
      const refusedOnBeta = await eventually(
        () =>
          postReport(tracker.url, {
            kind: 'CANARY_STARTED',
            reportId: `v5-beta-${Date.now()}`,
            reportedAt: JAN(12),
            deploymentId: 'b5',
            ...beta,
            modelVersion: 5,
            trafficPercent: 10,
          }),
        (r) => r.body['rule'] === 'gate-not-passed',
        { what: 'v5 refused on beta' },
      );
      expect(refusedOnBeta.status).toBe(409);

      // Retiring the deployment serving alpha: nothing serves it, in all three services.
      expect(
        (
          await postReport(tracker.url, {
            kind: 'DEPLOYMENT_RETIRED',
            reportId: 'a3-retired',
            reportedAt: JAN(13),
            deploymentId: 'a3',
            reason: 'surface paused',
          })
        ).status,
      ).toBe(201);
      await allAgreeOn(alpha, { servingVersion: null, servingDeploymentId: null, servingSince: null, servedVersions: [3], canaries: [] });
      // The next canary on alpha has no stale baseline, nor has the next decision.
      expect(
        (
          await postReport(tracker.url, {
            kind: 'CANARY_STARTED',
            reportId: 'a5-canary',
            reportedAt: JAN(14),
            deploymentId: 'a5',
            ...alpha,
            modelVersion: 5,
            trafficPercent: 10,
          })
        ).status,
      ).toBe(201);
      expect((await getJson(`${tracker.url}/v1/deployments/a5`)).body).toMatchObject({ status: 'CANARY', baselineVersion: null });
      await allAgreeOn(alpha, {
        servingVersion: null,
        servingDeploymentId: null,
        servingSince: null,
        servedVersions: [3],
        canaries: [{ deploymentId: 'a5', modelVersion: 5, trafficPercent: 10, baselineVersion: null }],
      });
      await register(model, [0.94], 6);
      expect((await decision(model, 6)).baselines.map((b) => [b.placement?.surface, b.baselineVersion, b.verdict])).toEqual([
        ['beta', 4, 'PASSED'],
      ]);

      const promoted = (event: RegistryEvent, version: number) =>
        event.type === 'ModelPromoted' && event.data.modelName === model && event.data.modelVersion === version;
      const log = await eventually(deploymentsLog, (events) => events.some((event) => promoted(event, 6)), { what: 'v6 promoted' });
      expect(log.filter((event) => promoted(event, 5)).map((event) => (event.type === 'ModelPromoted' ? event.data.surface : ''))).toEqual([
        'alpha',
      ]);
      expect(
        log
          .filter((event) => promoted(event, 6))
          .map((event) => (event.type === 'ModelPromoted' ? event.data.surface : ''))
          .sort(),
      ).toEqual(['alpha', 'beta']);
    },
  );

  it(
    'rebuilding the gate from offset 0 reproduces every decision a registration caused, ' + 'byte for byte (less the outbox seal)',
    async () => {
      const logged = (await readAllMessages(testKafka('gates-reader'), `${environment.id}.gates.v1`))
        .map((message) => ({ value: message.value as Buffer, event: codec.decode(message.value) }))
        .filter(({ event }) => event.type === 'GateEvaluated' && event.data.trigger === 'RunRegistered');
      expect(logged.length).toBe(3 + 6);
      const rebuild = await postJson(`${gates.url}/v1/rebuild?payloads=true`, {});
      expect(rebuild.status).toBe(200);
      expect(rebuild.body).toMatchObject({ logged: logged.length, rebuilt: logged.length, identical: logged.length, differing: [] });
      const rebuilt = new Map(
        (rebuild.body['decisions'] as Array<{ eventId: string; payload: string }>).map((d) => [
          d.eventId,
          Buffer.from(d.payload, 'base64'),
        ]),
      );
      for (const { value, event } of logged) expect(rebuilt.get(event.data.envelope.eventId)?.equals(withoutSeal(codec, value))).toBe(true);
    },
  );
});
