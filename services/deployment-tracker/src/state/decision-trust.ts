import { placementVerdicts, type PlacementVerdict } from '@modelreg/deployments';
import { believedRecord, type EventCodec, type Keyring } from '@modelreg/events';

/** The signed GateEvaluated a stored verdict row keeps, believed or not (null: its seal does not hold). */
export type DecisionTrust = (record: Buffer) => ReturnType<typeof believedRecord>;

/** With event keys configured, a stored decision record is believed only while the gate validator's signature holds. */
export function decisionTrust(codec: EventCodec, keyring: Keyring | null): DecisionTrust | null {
  return keyring ? (record) => believedRecord(codec, keyring, 'gates', record) : null;
}

/** A `deployments.versions` row's verdict columns and the record they were written from. */
export interface VerdictRow {
  latest_verdict: 'PASSED' | 'FAILED' | null;
  placement_verdicts: PlacementVerdict[];
  latest_decision_event_id: string | null;
  policy_id: string | null;
  policy_version: number | null;
  latest_decision_record: Buffer | null;
}

export interface VerdictFacts {
  latestVerdict: 'PASSED' | 'FAILED' | null;
  placementVerdicts: PlacementVerdict[];
  decisionEventId: string | null;
  policyId: string | null;
  policyVersion: number | null;
}

/**
 * What the tracker decides from: without keys, the row's columns; with keys, the signed decision
 * record the row keeps, once its seal holds and it concerns this version, and nothing otherwise (an
 * edited or unsigned row reads as "no gate decision", so no canary or promotion rests on it).
 */
export function verdictFacts(row: VerdictRow, modelName: string, modelVersion: number, trust: DecisionTrust | null): VerdictFacts {
  if (!trust) {
    return {
      latestVerdict: row.latest_verdict,
      placementVerdicts: row.placement_verdicts,
      decisionEventId: row.latest_decision_event_id,
      policyId: row.policy_id,
      policyVersion: row.policy_version,
    };
  }
  const event = row.latest_decision_record ? trust(row.latest_decision_record) : null;
  if (event?.type !== 'GateEvaluated' || event.data.modelName !== modelName || event.data.candidateVersion !== modelVersion) {
    return { latestVerdict: null, placementVerdicts: [], decisionEventId: null, policyId: null, policyVersion: null };
  }
  const decision = event.data;
  return {
    latestVerdict: decision.verdict,
    placementVerdicts: placementVerdicts(decision),
    decisionEventId: decision.envelope.eventId,
    policyId: decision.policy.policyId,
    policyVersion: decision.policy.policyVersion,
  };
}
