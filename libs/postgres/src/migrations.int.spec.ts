import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestEnvironment, type TestEnvironment } from '@modelreg/testing';
import { migrate } from './migrations';
import { createPool } from './pool';

describe('migrate (real Postgres)', () => {
  let environment: TestEnvironment;
  beforeAll(async () => {
    environment = await createTestEnvironment('migrations');
  });
  afterAll(() => environment.dispose());

  it('applies versioned files once, in order, and refuses an applied file that changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    writeFileSync(join(dir, '001_things.sql'), 'CREATE TABLE things (id int PRIMARY KEY);');
    writeFileSync(join(dir, '002_more.sql'), 'ALTER TABLE things ADD COLUMN name text;');
    const pool = createPool({ connectionString: environment.databaseUrl, applicationName: 'test' });
    try {
      // Concurrent starts of the same service must not race.
      const [first, second] = await Promise.all([migrate(pool, 'probe', dir), migrate(pool, 'probe', dir)]);
      expect([...first, ...second].sort()).toEqual([1, 2]);
      expect(await migrate(pool, 'probe', dir)).toEqual([]);
      await pool.query("INSERT INTO probe.things (id, name) VALUES (1, 'x')");

      writeFileSync(join(dir, '001_things.sql'), 'CREATE TABLE things (id bigint PRIMARY KEY);');
      await expect(migrate(pool, 'probe', dir)).rejects.toThrow('probe migration service/1_things was changed after it was applied');

      writeFileSync(join(dir, '001_things.sql'), 'CREATE TABLE things (id int PRIMARY KEY);');
      writeFileSync(join(dir, '004_gap.sql'), 'SELECT 1;');
      await expect(migrate(pool, 'probe', dir)).rejects.toThrow(/migration 3 is missing/);
    } finally {
      await pool.end();
    }
  });
});
