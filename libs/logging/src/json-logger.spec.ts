import { createJsonLogger } from './json-logger';

describe('createJsonLogger', () => {
  it('writes one JSON object per line with bound fields and serialized errors, above the level', () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ service: 'ingestion', level: 'info', write: (line) => lines.push(line), now: () => new Date(0) });
    logger.debug('hidden');
    logger.child({ requestId: 'r1' }).error('failed', { error: new Error('boom') });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      level: 'error',
      service: 'ingestion',
      msg: 'failed',
      requestId: 'r1',
      error: expect.objectContaining({ name: 'Error', message: 'boom' }),
    });
  });
});
