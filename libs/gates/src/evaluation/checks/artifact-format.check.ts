import type { CheckResult } from '@modelreg/events';
import type { CheckDefinition } from '../../policy/gate-policy';
import { checkResult, type CheckContext } from '../check-context';
import { missingResult } from './missing';

type ArtifactFormat = Extract<CheckDefinition, { kind: 'artifact-format' }>;

/** The artifact for a deployment target is in one of the allowed formats, e.g. mobile must be TFLite. */
export function evaluateArtifactFormat(check: ArtifactFormat, context: CheckContext): CheckResult[] {
  const base = { checkId: check.id, kind: check.kind, target: check.target, comparator: `format in [${check.formats.join(', ')}]` };
  const artifact = context.candidate.artifacts.find((item) => item.target === check.target);
  if (!artifact) {
    if (check.ifAbsent === 'skip')
      return [
        checkResult(base, {
          outcome: 'SKIPPED',
          reason: 'not-applicable',
          explanation: `no ${check.target} artifact, so its format check does not apply`,
        }),
      ];
    return [missingResult(base, {}, `the ${check.target} artifact`)];
  }
  const passed = check.formats.includes(artifact.format);
  return [
    checkResult(base, {
      outcome: passed ? 'PASSED' : 'FAILED',
      explanation: `${check.target} artifact is ${artifact.format}; allowed: ${check.formats.join(', ')}: ${passed ? 'passed' : 'failed'}`,
    }),
  ];
}
