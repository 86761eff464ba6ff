import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { policySubject, buildEnvelope, type EventOrigin } from '@modelreg/events';
import { DEFAULT_POLICY, modelsMatching, P99_LATENCY_METRIC, policyContentHash, policyMetricWarnings, validatePolicy, type GatePolicy } from '@modelreg/gates';
import { canonicalJson, type FieldError } from '@modelreg/validation';
import { ensureEventsFit, eventMessage } from '@modelreg/kafka';
import { withTransaction, type PoolClient } from '@modelreg/postgres';
import type { GateValidatorDependencies } from '../gate-validator-dependencies';
import { GATE_VALIDATOR_DEPENDENCIES, GATES_SCHEMA } from '../gate-validator.constants';
import { gateStore } from '../state/gate-store';

export type PublishOutcome =
  | { kind: 'published' | 'already-published'; policyId: string; policyVersion: number; contentHash: string; warnings: FieldError[] }
  | { kind: 'invalid'; errors: FieldError[] }
  | { kind: 'conflict'; message: string };

/**
 * Publishes policy versions: each id's versions are 1, 2, 3… (the built-in default counts as
 * version 1 of "default"), immutable, and recorded as GatePolicyPublished in the log.
 */
@Injectable()
export class PolicyPublishingService {
  constructor(@Inject(GATE_VALIDATOR_DEPENDENCIES) private readonly deps: GateValidatorDependencies) {}

  async publish(document: unknown, publishedBy: string | null, origin: EventOrigin): Promise<PublishOutcome> {
    const validated = validatePolicy(document);
    if (!validated.ok) return { kind: 'invalid', errors: validated.errors };
    const policy = validated.value;
    const contentHash = policyContentHash(policy);
    return withTransaction(this.deps.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`policy:${policy.policyId}`]);
      const latest = (await client.query('SELECT policy_version, content_hash FROM gates.policies WHERE policy_id = $1 ORDER BY policy_version DESC LIMIT 1', [policy.policyId])).rows[0] as { policy_version: number; content_hash: string } | undefined;
      const current = latest ?? (policy.policyId === DEFAULT_POLICY.policyId ? { policy_version: DEFAULT_POLICY.version, content_hash: policyContentHash(DEFAULT_POLICY) } : undefined);
      if (current && current.policy_version === policy.version) {
        if (current.content_hash === contentHash) return { kind: 'already-published', policyId: policy.policyId, policyVersion: policy.version, contentHash, warnings: await this.warnings(client, policy) };
        return { kind: 'conflict', message: `${policy.policyId} v${policy.version} is already published with different content; publish v${current.policy_version + 1}` };
      }
      const expected = (current?.policy_version ?? 0) + 1;
      if (policy.version !== expected) return { kind: 'conflict', message: `${policy.policyId}: expected version ${expected}, got ${policy.version}` };
      await this.record(client, policy, contentHash, publishedBy, origin);
      return { kind: 'published', policyId: policy.policyId, policyVersion: policy.version, contentHash, warnings: await this.warnings(client, policy) };
    });
  }

  /** What is worth knowing but does not stop publishing: metrics none of the policy's models' versions carry. */
  private async warnings(client: PoolClient, policy: GatePolicy): Promise<FieldError[]> {
    const models = modelsMatching(policy, await gateStore.registeredModels(client));
    return policyMetricWarnings(policy, await gateStore.metricsCarried(client, models, P99_LATENCY_METRIC));
  }

  private async record(client: PoolClient, policy: GatePolicy, contentHash: string, publishedBy: string | null, origin: EventOrigin): Promise<void> {
    const eventId = randomUUID();
    const occurredAt = Date.now();
    const event = {
      envelope: buildEnvelope('GatePolicyPublished', { eventId, occurredAt, producer: this.deps.producer, ...origin, modelName: policySubject(policy.policyId) }),
      policyId: policy.policyId,
      policyVersion: policy.version,
      contentHash,
      modelPatterns: policy.models,
      document: canonicalJson(policy),
      publishedBy,
    };
    const messages = ensureEventsFit([eventMessage(this.deps.codec, this.deps.topics, { type: 'GatePolicyPublished', data: event })], this.deps.maxEventBytes);
    await client.query(
      'INSERT INTO gates.policies (policy_id, policy_version, content_hash, document, event_id, published_at) VALUES ($1, $2, $3, $4, $5, to_timestamp($6 / 1000.0))',
      [policy.policyId, policy.version, contentHash, JSON.stringify(policy), eventId, occurredAt],
    );
    await this.deps.relay.enqueue(client, messages);
  }
}
