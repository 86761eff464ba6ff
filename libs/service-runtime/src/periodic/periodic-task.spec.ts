import type { Logger } from '@modelreg/logging';
import { PeriodicTask } from './periodic-task';

function recordingLogger(): Logger & { lines: Array<[string, string, Record<string, unknown> | undefined]> } {
  const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push([level, message, fields]);
  return { lines, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') } as unknown as Logger & {
    lines: typeof lines;
  };
}

describe('PeriodicTask', () => {
  it('never overlaps itself: a run asked for while one is in progress joins it', async () => {
    let runs = 0;
    let finish: () => void = () => undefined;
    const task = new PeriodicTask(
      'sweep',
      60_000,
      () =>
        new Promise((resolve) => {
          runs += 1;
          finish = () => resolve({ runs });
        }),
      recordingLogger(),
    );
    const first = task.runOnce();
    const second = task.runOnce();
    finish();
    await Promise.all([first, second]);
    expect(runs).toBe(1);
  });

  it('logs a failed run and keeps going; the next run happens', async () => {
    const logger = recordingLogger();
    let attempt = 0;
    const task = new PeriodicTask(
      'sweep',
      60_000,
      async () => {
        attempt += 1;
        if (attempt === 1) throw new Error('s3 unreachable');
        return { aborted: 2 };
      },
      logger,
    );
    await task.runOnce();
    await task.runOnce();
    expect(logger.lines.map(([level, message]) => [level, message])).toEqual([
      ['warn', 'sweep failed; trying again in 60000 ms'],
      ['info', 'sweep done'],
    ]);
    expect(logger.lines[1]?.[2]).toEqual({ aborted: 2 });
  });
});
