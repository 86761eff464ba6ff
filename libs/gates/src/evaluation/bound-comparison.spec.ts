import { compareChange, compareDeviation, compareWithBound } from './bound-comparison';

const TOLERANCE = 1e-9;

describe('thresholds are inclusive, with an explicit tolerance, and sit right on the boundary', () => {
  it.each([
    // AUC improvement of at least 0.005
    ['+0.005 AUC passes', 0.905, 0.9, true],
    ['+0.00499 AUC fails', 0.90499, 0.9, false],
    ['+0.005 AUC passes even where floating point gives 0.004999…', 0.915, 0.91, true],
  ])('%s', (_case, candidate, baseline, passed) => {
    expect(compareChange(candidate, baseline, { direction: 'higher', absolute: 0.005 }, TOLERANCE).passed).toBe(passed);
  });

  it.each([
    ['slope 1.02 passes', 1.02, true],
    ['slope 0.98 passes', 0.98, true],
    ['slope 1.0201 fails', 1.0201, false],
    ['slope 0.9799 fails', 0.9799, false],
  ])('calibration within 0.02 of 1: %s', (_case, slope, passed) => {
    expect(compareWithBound(slope, { target: 1, maxDeviation: 0.02 }, TOLERANCE).passed).toBe(passed);
  });

  it.each([
    ['500,000,000 bytes fails "under 500 MB"', 500_000_000, false],
    ['499,999,999 bytes passes', 499_999_999, true],
  ])('%s', (_case, size, passed) => {
    expect(compareWithBound(size, { below: 500_000_000 }, 0).passed).toBe(passed);
  });

  it.each([
    ['p99 of 100 ms fails "under 100 ms"', 100, false],
    ['p99 within the tolerance of 100 counts as 100 and fails', 100 - 1e-12, false],
    ['p99 of 99.99 passes', 99.99, true],
  ])('%s', (_case, p99, passed) => {
    expect(compareWithBound(p99, { below: 100 }, TOLERANCE).passed).toBe(passed);
  });

  it('compares a lower-is-better change the other way round', () => {
    expect(compareChange(0.28, 0.3, { direction: 'lower', absolute: 0.02 }, TOLERANCE)).toMatchObject({ passed: true });
    expect(compareChange(0.3, 0.28, { direction: 'lower', absolute: 0 }, TOLERANCE)).toMatchObject({ passed: false });
  });

  it('supports relative changes and reports a zero baseline as not comparable', () => {
    expect(compareChange(0.84, 0.8, { direction: 'higher', relative: 0.05 }, TOLERANCE).passed).toBe(true);
    expect(compareChange(0.839, 0.8, { direction: 'higher', relative: 0.05 }, TOLERANCE).passed).toBe(false);
    expect(compareChange(1, 0, { direction: 'higher', relative: 0.05 }, TOLERANCE)).toMatchObject({
      passed: false,
      relativeImprovement: null,
    });
  });

  it('describes what it compared', () => {
    expect(compareWithBound(0.99, { min: 0.98, max: 1.02 }, TOLERANCE)).toEqual({
      passed: true,
      comparator: '>= 0.98 and <= 1.02',
      threshold: null,
    });
    expect(compareWithBound(5, { below: 10 }, TOLERANCE)).toEqual({ passed: true, comparator: '< 10', threshold: 10 });
  });
});

describe('deviation bounds: absolute and/or relative, either breach fires', () => {
  // A 9% move: 0.0558 from 0.62, 0.0405 from 0.45.
  it.each([
    [0.62, { absolute: 0.05 }, true, '<= 0.05'],
    [0.45, { absolute: 0.05 }, false, '<= 0.05'],
    [0.62, { relative: 0.08 }, true, '<= 8% of 0.62 (0.0496)'],
    [0.45, { relative: 0.08 }, true, '<= 8% of 0.45 (0.036)'],
    [0.45, { absolute: 0.05, relative: 0.1 }, false, '<= 0.05 and <= 10% of 0.45 (0.045)'],
    [0.62, { absolute: 0.05, relative: 0.1 }, true, '<= 0.05 and <= 10% of 0.62 (0.062)'],
  ])('a 9%% move from %s against %j: breached %s', (reference, deviation, breached, comparator) => {
    expect(compareDeviation(reference * 0.09, reference, deviation, TOLERANCE)).toMatchObject({ breached, comparator });
  });

  it('sits right on the allowance without breaching it, and leaves relative no room at a reference of 0', () => {
    expect(compareDeviation(0.05, 0.5, { relative: 0.1 }, TOLERANCE).breached).toBe(false);
    expect(compareDeviation(0.0501, 0.5, { relative: 0.1 }, TOLERANCE).breached).toBe(true);
    expect(compareDeviation(0.001, 0, { relative: 0.5 }, TOLERANCE)).toMatchObject({ breached: true, allowance: 0 });
  });
});
