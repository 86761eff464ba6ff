import { WindowCounterStorage } from './window-counter-storage';

describe('WindowCounterStorage: fixed-window counters per caller', () => {
  const MINUTE = 60_000;

  function storageAt(clock: { ms: number }) {
    return new WindowCounterStorage(() => clock.ms);
  }

  it('lets `limit` requests through in a window, refuses the next until the block ends, then starts a new window', async () => {
    const clock = { ms: 1_000_000 };
    const storage = storageAt(clock);
    const hit = () => storage.increment('alice', MINUTE, 3, MINUTE, 'default');
    expect(await hit()).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    clock.ms += 20_000;
    expect(await hit()).toMatchObject({ totalHits: 2, timeToExpire: 40, isBlocked: false });
    expect(await hit()).toMatchObject({ totalHits: 3, isBlocked: false });
    // The fourth is over the limit: blocked for blockDuration from now.
    expect(await hit()).toEqual({ totalHits: 4, timeToExpire: 40, isBlocked: true, timeToBlockExpire: 60 });
    // Refused requests are not counted and do not extend the block.
    clock.ms += 59_000;
    expect(await hit()).toMatchObject({ totalHits: 4, isBlocked: true, timeToBlockExpire: 1 });
    clock.ms += 1_000;
    expect(await hit()).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('counts each caller on its own', async () => {
    const clock = { ms: 0 };
    const storage = storageAt(clock);
    for (let i = 0; i < 2; i += 1) await storage.increment('alice', MINUTE, 2, MINUTE, 'default');
    expect((await storage.increment('alice', MINUTE, 2, MINUTE, 'default')).isBlocked).toBe(true);
    expect(await storage.increment('bob', MINUTE, 2, MINUTE, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('without a block duration, an over-limit caller waits for the end of its window', async () => {
    const clock = { ms: 0 };
    const storage = storageAt(clock);
    await storage.increment('alice', MINUTE, 1, 0, 'default');
    clock.ms += 45_000;
    expect(await storage.increment('alice', MINUTE, 1, 0, 'default')).toMatchObject({ isBlocked: true, timeToBlockExpire: 15 });
    clock.ms += 15_000;
    expect(await storage.increment('alice', MINUTE, 1, 0, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('a new window starts when the last one ended, even for a caller that never hit the limit', async () => {
    const clock = { ms: 0 };
    const storage = storageAt(clock);
    for (let i = 0; i < 5; i += 1) await storage.increment('alice', MINUTE, 10, MINUTE, 'default');
    clock.ms += MINUTE;
    expect(await storage.increment('alice', MINUTE, 10, MINUTE, 'default')).toMatchObject({ totalHits: 1, timeToExpire: 60 });
  });

  it('forgets callers whose window and block are over, so memory follows the active callers', async () => {
    const clock = { ms: 0 };
    const storage = storageAt(clock);
    for (let caller = 0; caller < 9_999; caller += 1) await storage.increment(`caller-${caller}`, MINUTE, 10, MINUTE, 'default');
    expect(storage.size()).toBe(9_999);
    clock.ms += MINUTE;
    // The 10,000th call sweeps: only the caller it counts is left.
    await storage.increment('latecomer', MINUTE, 10, MINUTE, 'default');
    expect(storage.size()).toBe(1);
  });
});
