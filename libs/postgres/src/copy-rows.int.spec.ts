import { createTestEnvironment, type TestEnvironment } from '@modelreg/testing';
import { copyRows } from './copy-rows';
import { createPool } from './pool';

describe('copyRows (real Postgres)', () => {
  let environment: TestEnvironment;
  beforeAll(async () => {
    environment = await createTestEnvironment('copy-rows');
  });
  afterAll(() => environment.dispose());

  it('round-trips every value as it was, across chunks, and leaves the connection usable after a rejected row', async () => {
    const pool = createPool({ connectionString: environment.databaseUrl, applicationName: 'test' });
    const client = await pool.connect();
    try {
      await client.query('CREATE TABLE copied (n integer, label text, doc jsonb)');
      const tricky = ['tab\there', 'line\nbreak', 'cr\rhere', 'back\\slash', '\\N', 'ünïcødé ✓', ''];
      const rows = Array.from(
        { length: 600 },
        (_, n) =>
          [
            n,
            n % 50 === 0 ? null : (tricky[n % tricky.length] as string),
            JSON.stringify({ n, text: tricky[n % tricky.length], path: 'C:\\data' }),
          ] as const,
      );
      await copyRows(client, 'copied', ['n', 'label', 'doc'], rows);
      const back = (await client.query('SELECT n, label, doc FROM copied ORDER BY n')).rows as Array<{
        n: number;
        label: string | null;
        doc: unknown;
      }>;
      expect(back).toEqual(rows.map(([n, label, doc]) => ({ n, label, doc: JSON.parse(doc) })));

      await client.query('BEGIN');
      await expect(copyRows(client, 'copied', ['n', 'label', 'doc'], [[1, 'bad', '{"key\\u0000": 1}']])).rejects.toMatchObject({
        code: '22P05',
      });
      await client.query('ROLLBACK');
      expect((await client.query('SELECT count(*)::int AS n FROM copied')).rows[0]).toEqual({ n: 600 });
    } finally {
      client.release();
      await pool.end();
    }
  });
});
