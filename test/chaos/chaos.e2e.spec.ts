import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '@modelreg/testing';
import { BOUNDED_SETTINGS, chaosSettings, runChaosSuite, type ChaosReport } from './chaos-suite';

/**
 * The fault suite in its bounded form (one round, short outages), on a private Kafka, Postgres and
 * S3 it starts, kills and restarts. `npm run chaos` runs the long form and records the figures.
 */
describe('fault suite (bounded)', () => {
  let report: ChaosReport;

  beforeAll(async () => {
    report = await runChaosSuite(chaosSettings(process.env, BOUNDED_SETTINGS), (line) => process.stdout.write(`[chaos] ${line}\n`));
    const dir = resolve(REPO_ROOT, 'tmp/chaos');
    mkdirSync(dir, { recursive: true });
    writeFileSync(resolve(dir, 'bounded-results.json'), `${JSON.stringify(report, null, 2)}\n`);
  }, 10 * 60_000);

  it('ran under load: writes were acknowledged and every fault was injected', () => {
    expect(report.load.registrationsAcknowledged).toBeGreaterThan(0);
    expect(report.load.reportsAcknowledged).toBeGreaterThan(0);
    expect(report.faults.filter((fault) => fault.error?.startsWith('not recovered') === false)).toEqual([]);
  });

  it.each([
    'no valid write was refused',
    'every acknowledged write is on the log',
    'no event is on the log twice',
    'versions per model are gapless and unique',
    'each version got exactly one automatic gate decision',
    'every poison record is dead-lettered with a reason',
    'no poison record turned into events',
    'every fault recovered without a person',
    'consumers caught up and outboxes drained at the end',
    'every service ready at the end',
    'no service exited other than when killed',
    'the read model holds every version on the log',
    'projections equal a clean rebuild',
  ])('%s', (name) => {
    const invariant = report.invariants.find((candidate) => candidate.name === name);
    expect(invariant).toBeDefined();
    expect(invariant?.details).toEqual([]);
  });
});
