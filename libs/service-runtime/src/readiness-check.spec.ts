import { assessReadiness, runReadinessChecks, UnknownCapabilityError, type Capability } from './readiness-check';

const projections: Capability[] = [
  { name: 'reads', needs: ['postgres'] },
  { name: 'ingest', needs: ['postgres', 'kafka', 'consumer'] },
];

describe('readiness per capability', () => {
  const kafkaDown = {
    postgres: { ok: true },
    kafka: { ok: false, error: 'kafka unavailable: connect ECONNREFUSED' },
    consumer: { ok: false, error: 'consumer is not running' },
  };

  it('keeps reads ready while Kafka is down, and says why ingest is not', () => {
    const report = assessReadiness(kafkaDown, projections, 'reads');
    expect(report.ready).toBe(true);
    expect(report.capability).toBe('reads');
    expect(report.capabilities['reads']).toEqual({ ready: true, needs: ['postgres'] });
    expect(report.capabilities['ingest']).toEqual({
      ready: false,
      needs: ['postgres', 'kafka', 'consumer'],
      failing: { kafka: 'kafka unavailable: connect ECONNREFUSED', consumer: 'consumer is not running' },
    });
  });

  it('without a capability asked for, is ready only when every check passes', () => {
    expect(assessReadiness(kafkaDown, projections).ready).toBe(false);
    expect(assessReadiness({ postgres: { ok: true }, kafka: { ok: true }, consumer: { ok: true } }, projections).ready).toBe(true);
  });

  it('a capability needing a check the service does not run is not ready', () => {
    const report = assessReadiness({ postgres: { ok: true } }, [{ name: 'upload', needs: ['s3'] }], 'upload');
    expect(report.ready).toBe(false);
    expect(report.capabilities['upload']?.failing).toEqual({ s3: 'no such readiness check' });
  });

  it('refuses a capability the service does not have, naming those it has', async () => {
    await expect(runReadinessChecks([], projections, 'writes')).rejects.toThrow(new UnknownCapabilityError('writes', ['reads', 'ingest']));
    await expect(runReadinessChecks([], projections, 'writes')).rejects.toThrow(
      'unknown capability "writes"; this service has reads, ingest',
    );
  });

  it('reports what a passing check tells, such as a consumer lag', async () => {
    const report = await runReadinessChecks([
      { name: 'lag', check: async () => ({ events: 42 }) },
      { name: 'postgres', check: async () => undefined },
    ]);
    expect(report.checks).toEqual({ lag: { ok: true, detail: { events: 42 } }, postgres: { ok: true } });
  });

  it('a check that does not answer in time fails with the reason', async () => {
    const report = await runReadinessChecks([{ name: 'kafka', check: () => new Promise<void>(() => undefined) }], [], undefined, 20);
    expect(report.checks['kafka']).toEqual({ ok: false, error: 'kafka unavailable: no answer within 20 ms' });
  });
});
