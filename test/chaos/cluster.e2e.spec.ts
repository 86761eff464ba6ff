import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '@modelreg/testing';
import { BOUNDED_CLUSTER_SETTINGS, clusterSettings, runClusterSuite, type ClusterReport } from './cluster-suite';

/**
 * Horizontal scale in its bounded form: a private 3-node Kafka cluster and two instances of every
 * service under load; one broker and one instance of each service killed. `npm run cluster-test`
 * runs the long form.
 */
describe('cluster suite (bounded)', () => {
  let report: ClusterReport;

  beforeAll(async () => {
    report = await runClusterSuite(clusterSettings(process.env, BOUNDED_CLUSTER_SETTINGS), (line) =>
      process.stdout.write(`[cluster] ${line}\n`),
    );
    const dir = resolve(REPO_ROOT, 'tmp/chaos');
    mkdirSync(dir, { recursive: true });
    writeFileSync(resolve(dir, 'cluster-bounded-results.json'), `${JSON.stringify(report, null, 2)}\n`);
  }, 15 * 60_000);

  it('ran under load on every instance: writes were acknowledged and both faults injected', () => {
    expect(report.load.registrationsAcknowledged).toBeGreaterThan(0);
    expect(report.load.reportsAcknowledged).toBeGreaterThan(0);
    expect(report.faults.map((fault) => fault.fault)).toHaveLength(3);
  });

  it.each([
    'topics are replicated as the cluster allows',
    'writes kept being acknowledged through every fault',
    'no valid write was refused',
    'every acknowledged write is on the log',
    'no event is on the log twice',
    'no outbox row is on the log twice',
    'versions per model are gapless and unique',
    'each version got exactly one automatic gate decision',
    'every fault recovered without a person',
    'consumers caught up and outboxes drained at the end',
    'every instance ready at the end',
    'no instance exited other than when killed',
    'a replay under load completed',
    'the read model holds every version on the log',
    'projections equal a clean rebuild',
  ])('%s', (name) => {
    const invariant = report.invariants.find((candidate) => candidate.name === name);
    expect(invariant).toBeDefined();
    expect(invariant?.details).toEqual([]);
  });
});
