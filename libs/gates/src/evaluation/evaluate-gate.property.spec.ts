import fc from 'fast-check';
import { baselineSubject, candidateSubject, withMetrics } from '../gate-fixtures';
import { DEFAULT_POLICY } from '../policy/default-policy';
import { evaluateGate } from './evaluate-gate';

const auc = fc.double({ min: 0.5, max: 1, noNaN: true });

describe('gate evaluation properties', () => {
  it('raising the candidate AUC never turns a pass into a fail', () => {
    fc.assert(
      fc.property(auc, auc, fc.double({ min: 0, max: 0.2, noNaN: true }), (candidateAuc, baselineAuc, raise) => {
        const base = withMetrics(baselineSubject(), (m) => (m.overall['auc'] = baselineAuc));
        const before = evaluateGate(
          withMetrics(candidateSubject(), (m) => (m.overall['auc'] = candidateAuc)),
          base,
          DEFAULT_POLICY,
        );
        const after = evaluateGate(
          withMetrics(candidateSubject(), (m) => (m.overall['auc'] = candidateAuc + raise)),
          base,
          DEFAULT_POLICY,
        );
        return before.verdict === 'FAILED' || after.verdict === 'PASSED';
      }),
      { numRuns: 500 },
    );
  });

  it('shrinking the mobile artifact never turns a pass into a fail', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000_000_000 }), fc.integer({ min: 0, max: 2_000_000_000 }), (size, shrink) => {
        const sized = (bytes: number) => ({
          ...candidateSubject(),
          artifacts: candidateSubject().artifacts.map((a) => (a.target === 'mobile' ? { ...a, sizeBytes: bytes } : a)),
        });
        const before = evaluateGate(sized(size), baselineSubject(), DEFAULT_POLICY);
        const after = evaluateGate(sized(Math.max(1, size - shrink)), baselineSubject(), DEFAULT_POLICY);
        return before.verdict === 'FAILED' || after.verdict === 'PASSED';
      }),
    );
  });

  it('is a pure function: equal inputs give byte-identical output', () => {
    fc.assert(
      fc.property(auc, fc.double({ min: 0.9, max: 1.1, noNaN: true }), (candidateAuc, slope) => {
        const candidate = () =>
          withMetrics(candidateSubject(), (m) => {
            m.overall['auc'] = candidateAuc;
            (m.slices[0] as { metrics: Record<string, number> }).metrics['calibration_slope'] = slope;
          });
        return (
          JSON.stringify(evaluateGate(candidate(), baselineSubject(), DEFAULT_POLICY)) ===
          JSON.stringify(evaluateGate(candidate(), baselineSubject(), DEFAULT_POLICY))
        );
      }),
    );
  });

  it('a verdict passes exactly when no check failed', () => {
    fc.assert(
      fc.property(auc, fc.double({ min: 0, max: 0.05, noNaN: true }), (candidateAuc, gap) => {
        const candidate = withMetrics(candidateSubject(), (m) => {
          m.overall['auc'] = candidateAuc;
          (m.fairness[1] as { metrics: Record<string, number> }).metrics['precision'] = 0.8 + gap;
        });
        const result = evaluateGate(candidate, baselineSubject(), DEFAULT_POLICY);
        return (result.verdict === 'PASSED') === result.checks.every((check) => check.outcome !== 'FAILED');
      }),
    );
  });
});
