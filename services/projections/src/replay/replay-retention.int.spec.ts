import { readKafkaSecurity } from '@modelreg/config';
import { createKafkaClient } from '@modelreg/kafka';
import { createJsonLogger } from '@modelreg/logging';
import { createPool, type Pool } from '@modelreg/postgres';
import { createTestEnvironment, testKafka, uniqueTopics, type TestEnvironment } from '@modelreg/testing';
import { ReplayRetention } from './replay-retention';

const HOUR = 3_600_000;

/** Replay retention against the real Postgres and Kafka: what old replays left goes, the newest retired schema stays. */
describe('replay retention (real Postgres and Kafka)', () => {
  let environment: TestEnvironment;
  let pool: Pool;
  const kafka = testKafka('retention-test');
  const admin = kafka.admin();

  beforeAll(async () => {
    environment = await createTestEnvironment('retention');
    pool = createPool({ connectionString: environment.databaseUrl, applicationName: 'retention-test' });
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
    await pool.end();
    await environment.dispose();
  });

  it(
    'drops old retired and rebuild schemas and deletes old replay groups; ' + 'keeps the newest retired schema and a replay in progress',
    async () => {
      const now = Date.now();
      const [old, older, recent, running] = [now - 30 * HOUR, now - 50 * HOUR, now - 2 * HOUR, now - 40 * HOUR];
      const liveGroup = `${environment.id}.projections`;
      for (const schema of [
        `projections_retired_${older}`,
        `projections_retired_${old}`,
        `projections_retired_${recent}`,
        `projections_rebuild_${old}`,
        `projections_rebuild_${recent}`,
        `projections_rebuild_${running}`,
      ]) {
        await pool.query(`CREATE SCHEMA ${schema}`);
        await pool.query(`CREATE TABLE ${schema}.models (model_name text PRIMARY KEY)`);
      }
      const { topic } = await uniqueTopics(kafka, 'retention', ['topic']);
      const groups = [old, recent, running].map((generation) => `${liveGroup}.rebuild-${generation}`);
      for (const groupId of groups) await admin.setOffsets({ groupId, topic: topic!, partitions: [{ partition: 0, offset: '0' }] });

      const logger = createJsonLogger({ service: 'test', level: 'error' });
      const retention = new ReplayRetention(
        pool,
        createKafkaClient({
          brokers: environment.env['KAFKA_BROKERS']!.split(','),
          clientId: 'retention',
          logger,
          security: readKafkaSecurity(environment.env),
        }),
        liveGroup,
        24 * HOUR,
        () => running,
      );
      const removed = await retention.run(now);

      const schemas = (await pool.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'projections\\_%' ORDER BY 1")).rows.map(
        (row: { nspname: string }) => row.nspname,
      );
      expect(schemas).toEqual([`projections_rebuild_${recent}`, `projections_rebuild_${running}`, `projections_retired_${recent}`].sort());
      const remaining = (await admin.listGroups()).groups
        .map((group) => group.groupId)
        .filter((groupId) => groupId.startsWith(liveGroup))
        .sort();
      expect(remaining).toEqual([`${liveGroup}.rebuild-${recent}`, `${liveGroup}.rebuild-${running}`].sort());
      expect(removed.rebuildGroups).toEqual([`${liveGroup}.rebuild-${old}`]);

      expect(await retention.run(now)).toEqual({ retiredSchemas: [], rebuildSchemas: [], rebuildGroups: [] });
      await admin.deleteGroups(remaining);
      await admin.deleteTopics({ topics: [topic!] });
    },
  );
});
