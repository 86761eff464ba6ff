import type { CheckResult } from '@modelreg/events';
import type { CheckDefinition } from '../../policy/gate-policy';
import { compareWithBound } from '../bound-comparison';
import { checkResult, type CheckContext } from '../check-context';
import { missingResult } from './missing';

type ArtifactSize = Extract<CheckDefinition, { kind: 'artifact-size' }>;

/** The artifact for a deployment target within a size bound, in bytes, e.g. mobile under 500,000,000 bytes. */
export function evaluateArtifactSize(check: ArtifactSize, context: CheckContext): CheckResult[] {
  const base = { checkId: check.id, kind: check.kind, metric: 'size_bytes', target: check.target, tolerance: context.tolerance };
  const artifact = context.candidate.artifacts.find((item) => item.target === check.target);
  if (!artifact) {
    if (check.ifAbsent === 'skip') {
      return [
        checkResult(base, {
          outcome: 'SKIPPED',
          reason: 'not-applicable',
          explanation: `no ${check.target} artifact: the model is not meant for ${check.target}, so its size check does not apply`,
        }),
      ];
    }
    return [missingResult(base, {}, `the ${check.target} artifact`)];
  }
  const comparison = compareWithBound(artifact.sizeBytes, check.bound, 0);
  return [
    checkResult(base, {
      observed: artifact.sizeBytes,
      threshold: comparison.threshold,
      comparator: `${comparison.comparator} bytes`,
      outcome: comparison.passed ? 'PASSED' : 'FAILED',
      explanation:
        `${check.target} artifact is ${artifact.sizeBytes.toLocaleString('en-US')} bytes; ` +
        `required ${comparison.comparator} bytes: ${comparison.passed ? 'passed' : 'failed'}`,
    }),
  ];
}
