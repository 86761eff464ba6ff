import type { CheckResult } from '@modelreg/events';
import { verifyArtifactSignature } from '@modelreg/lineage';
import type { CheckDefinition } from '../../policy/gate-policy';
import { checkResult, type CheckContext } from '../check-context';
import { missingResult } from './missing';

type ArtifactSignatureCheck = Extract<CheckDefinition, { kind: 'artifact-signature' }>;

/**
 * The artifact for a target carries an OpenSSF model-signing signature over exactly its bytes,
 * made with a key the policy trusts. The reason of a failure is `unsigned`, `malformed`,
 * `digest-mismatch`, `untrusted-signer` or `bad-signature`; the sentence names the signer and key.
 * An unsigned artifact fails when the check is required and is skipped when it is not; a
 * signature that does not verify always fails.
 */
export function evaluateArtifactSignature(check: ArtifactSignatureCheck, context: CheckContext): CheckResult[] {
  const base = { checkId: check.id, kind: check.kind, target: check.target, comparator: 'signed by a trusted signer' };
  const artifact = context.candidate.artifacts.find((item) => item.target === check.target);
  if (!artifact) {
    if (!check.required)
      return [
        checkResult(base, {
          outcome: 'SKIPPED',
          reason: 'not-applicable',
          explanation: `no ${check.target} artifact, so its signature check does not apply`,
        }),
      ];
    return [missingResult(base, {}, `the ${check.target} artifact`)];
  }
  const verdict = verifyArtifactSignature(artifact.signature ?? null, context.trustedSigners);
  if (verdict.verified)
    return [
      checkResult(base, {
        outcome: 'PASSED',
        explanation: `${check.target} artifact ${artifact.sha256} is ${verdict.explanation}: passed`,
      }),
    ];
  if (verdict.reason === 'unsigned' && !check.required) {
    return [
      checkResult(base, {
        outcome: 'SKIPPED',
        reason: 'unsigned',
        explanation: `${check.target} artifact is not signed, and this policy does not require it`,
      }),
    ];
  }
  return [
    checkResult(base, {
      outcome: 'FAILED',
      reason: verdict.reason,
      explanation: `${check.target} artifact ${artifact.sha256}: ${verdict.explanation}: failed`,
    }),
  ];
}
