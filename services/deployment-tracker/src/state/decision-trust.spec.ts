import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildEnvelope,
  EventCodec,
  readKeyring,
  readSigningKey,
  SchemaCatalog,
  sealEvent,
  writeEventKeyDirectory,
  type GateEvaluated,
} from '@modelreg/events';
import { decisionTrust, verdictFacts, type VerdictRow } from './decision-trust';

const codec = new EventCodec(SchemaCatalog.load());
const dir = mkdtempSync(join(tmpdir(), 'decision-trust-'));
writeEventKeyDirectory(dir);
const trust = decisionTrust(codec, readKeyring(dir));

const failed: GateEvaluated = {
  envelope: buildEnvelope('GateEvaluated', {
    eventId: '00000000-0000-4000-a000-000000000007',
    occurredAt: 0,
    producer: 'gate-validator',
    correlationId: 'c',
    modelName: 'fraud-model',
    modelVersion: 7,
  }),
  modelName: 'fraud-model',
  candidateVersion: 7,
  baselineVersion: 6,
  baselineRule: 'latest-passed',
  policy: { policyId: 'default', policyVersion: 1, contentHash: 'h' },
  trigger: 'RunRegistered',
  checks: [],
  verdict: 'FAILED',
  eligibleForDeployment: false,
  baselines: [],
};
const record = (key = readSigningKey(dir, 'gate-validator')) =>
  sealEvent(codec, codec.encode({ type: 'GateEvaluated', data: failed }), key, null);
/** A row whose columns were edited to PASSED, keeping the record it was written from. */
const edited = (latestDecisionRecord: Buffer | null): VerdictRow => ({
  latest_verdict: 'PASSED',
  placement_verdicts: [],
  latest_decision_event_id: failed.envelope.eventId,
  policy_id: 'default',
  policy_version: 1,
  latest_decision_record: latestDecisionRecord,
});

describe('what the tracker decides from: the signed decision record, not the edited columns', () => {
  it('reads the verdict from the record whose signature holds', () => {
    expect(verdictFacts(edited(record()), 'fraud-model', 7, trust)).toMatchObject({
      latestVerdict: 'FAILED',
      decisionEventId: failed.envelope.eventId,
    });
  });

  it('believes no decision when the record is missing, signed by another service, or about another version', () => {
    expect(verdictFacts(edited(null), 'fraud-model', 7, trust).latestVerdict).toBeNull();
    expect(verdictFacts(edited(record(readSigningKey(dir, 'ingestion'))), 'fraud-model', 7, trust).latestVerdict).toBeNull();
    expect(verdictFacts(edited(record()), 'fraud-model', 8, trust).latestVerdict).toBeNull();
  });

  it('reads the columns when no keys are configured', () => {
    expect(verdictFacts(edited(null), 'fraud-model', 7, null).latestVerdict).toBe('PASSED');
  });
});
