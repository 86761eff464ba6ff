import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { policySubject, buildEnvelope, type EventOrigin, type EventPrincipal, type RegistryEvent } from '@modelreg/events';
import {
  decideApproval,
  DEFAULT_POLICY,
  isLoosening,
  modelsMatching,
  P99_LATENCY_METRIC,
  policyContentHash,
  policyMetricWarnings,
  validatePolicy,
  type GatePolicy,
} from '@modelreg/gates';
import { canonicalJson, type FieldError } from '@modelreg/validation';
import { ensureEventsFit, eventMessage } from '@modelreg/kafka';
import { withTransaction, type PoolClient } from '@modelreg/postgres';
import type { GateValidatorDependencies } from '../gate-validator-dependencies';
import { GATE_VALIDATOR_DEPENDENCIES } from '../gate-validator.constants';
import { gateStore } from '../state/gate-store';

export type PublishOutcome =
  | { kind: 'published' | 'already-published'; policyId: string; policyVersion: number; contentHash: string; warnings: FieldError[] }
  | { kind: 'proposed'; proposalId: string; policyId: string; policyVersion: number; contentHash: string; loosening: string[] }
  | { kind: 'invalid'; errors: FieldError[] }
  | { kind: 'conflict'; message: string };

export type ApprovalOutcome =
  | { kind: 'published'; proposalId: string; policyId: string; policyVersion: number; contentHash: string }
  | { kind: 'not-found' | 'forbidden' | 'conflict'; message: string };

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
      const current = await this.inForce(client, policy.policyId);
      if (current && current.policy_version === policy.version) {
        if (current.content_hash === contentHash)
          return {
            kind: 'already-published',
            policyId: policy.policyId,
            policyVersion: policy.version,
            contentHash,
            warnings: await this.warnings(client, policy),
          };
        return {
          kind: 'conflict',
          message:
            `${policy.policyId} v${policy.version} is already published ` +
            `with different content; publish v${current.policy_version + 1}`,
        };
      }
      const expected = (current?.policy_version ?? 0) + 1;
      if (policy.version !== expected)
        return { kind: 'conflict', message: `${policy.policyId}: expected version ${expected}, got ${policy.version}` };
      const loosening = isLoosening(current?.document ?? policy, policy);
      if (current && loosening.length > 0) return this.propose(client, policy, contentHash, loosening, origin);
      await this.record(client, policy, contentHash, publishedBy, origin);
      return {
        kind: 'published',
        policyId: policy.policyId,
        policyVersion: policy.version,
        contentHash,
        warnings: await this.warnings(client, policy),
      };
    });
  }

  /**
   * Approves a loosening proposal (a second, different policy admin): PolicyApproved, then the
   * version's GatePolicyPublished, in one transaction; refused while the version is no longer next.
   */
  async approve(proposalId: string, origin: EventOrigin): Promise<ApprovalOutcome> {
    return withTransaction(this.deps.pool, async (client) => {
      const proposal = (
        await client.query(
          'SELECT policy_id, policy_version, content_hash, document, proposed_by, approved_by ' +
            'FROM gates.policy_proposals WHERE proposal_id = $1 FOR UPDATE',
          [proposalId],
        )
      ).rows[0] as
        | {
            policy_id: string;
            policy_version: number;
            content_hash: string;
            document: GatePolicy;
            proposed_by: EventPrincipal | null;
            approved_by: EventPrincipal | null;
          }
        | undefined;
      if (!proposal) return { kind: 'not-found', message: `no policy proposal ${proposalId}` };
      if (proposal.approved_by) return { kind: 'conflict', message: `proposal ${proposalId} was approved already` };
      const approval = decideApproval(proposal.proposed_by, origin.principal);
      if (!approval.ok) return { kind: 'forbidden', message: approval.reason };
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`policy:${proposal.policy_id}`]);
      const current = await this.inForce(client, proposal.policy_id);
      if ((current?.policy_version ?? 0) + 1 !== proposal.policy_version)
        return {
          kind: 'conflict',
          message: `${proposal.policy_id} v${proposal.policy_version} is no longer the next version; propose again`,
        };
      const approved: RegistryEvent = {
        type: 'PolicyApproved',
        data: {
          envelope: buildEnvelope('PolicyApproved', {
            eventId: randomUUID(),
            occurredAt: Date.now(),
            producer: this.deps.producer,
            ...origin,
            modelName: policySubject(proposal.policy_id),
          }),
          proposalId,
          policyId: proposal.policy_id,
          policyVersion: proposal.policy_version,
          contentHash: proposal.content_hash,
          proposedBy: proposal.proposed_by,
        },
      };
      await this.deps.relay.enqueue(
        client,
        ensureEventsFit([eventMessage(this.deps.codec, this.deps.topics, approved)], this.deps.maxEventBytes),
      );
      await client.query('UPDATE gates.policy_proposals SET approved_by = $2 WHERE proposal_id = $1', [
        proposalId,
        JSON.stringify(origin.principal),
      ]);
      await this.record(client, proposal.document, proposal.content_hash, origin.principal?.subject ?? null, origin);
      return {
        kind: 'published',
        proposalId,
        policyId: proposal.policy_id,
        policyVersion: proposal.policy_version,
        contentHash: proposal.content_hash,
      };
    });
  }

  /** The latest published version of a policy (the built-in default counts as version 1 of "default"), with its document. */
  private async inForce(
    client: PoolClient,
    policyId: string,
  ): Promise<{ policy_version: number; content_hash: string; document: GatePolicy } | undefined> {
    const latest = (
      await client.query(
        'SELECT policy_version, content_hash, document FROM gates.policies WHERE policy_id = $1 ORDER BY policy_version DESC LIMIT 1',
        [policyId],
      )
    ).rows[0] as { policy_version: number; content_hash: string; document: GatePolicy } | undefined;
    return (
      latest ??
      (policyId === DEFAULT_POLICY.policyId
        ? { policy_version: DEFAULT_POLICY.version, content_hash: policyContentHash(DEFAULT_POLICY), document: DEFAULT_POLICY }
        : undefined)
    );
  }

  /**
   * A loosening version waits for a second policy admin: PolicyProposed, and the proposal kept (the same one
   * again answers the same proposal).
   */
  private async propose(
    client: PoolClient,
    policy: GatePolicy,
    contentHash: string,
    loosening: string[],
    origin: EventOrigin,
  ): Promise<PublishOutcome> {
    const pending = (
      await client.query(
        'SELECT proposal_id FROM gates.policy_proposals WHERE policy_id = $1 ' +
          'AND policy_version = $2 AND content_hash = $3 AND approved_by IS NULL',
        [policy.policyId, policy.version, contentHash],
      )
    ).rows[0] as { proposal_id: string } | undefined;
    const proposalId = pending?.proposal_id ?? randomUUID();
    if (!pending) {
      const eventId = randomUUID();
      const occurredAt = Date.now();
      const proposed: RegistryEvent = {
        type: 'PolicyProposed',
        data: {
          envelope: buildEnvelope('PolicyProposed', {
            eventId,
            occurredAt,
            producer: this.deps.producer,
            ...origin,
            modelName: policySubject(policy.policyId),
          }),
          proposalId,
          policyId: policy.policyId,
          policyVersion: policy.version,
          contentHash,
          document: canonicalJson(policy),
          loosening,
        },
      };
      await this.deps.relay.enqueue(
        client,
        ensureEventsFit([eventMessage(this.deps.codec, this.deps.topics, proposed)], this.deps.maxEventBytes),
      );
      await client.query(
        'INSERT INTO gates.policy_proposals ' +
          '(proposal_id, policy_id, policy_version, content_hash, document, loosening, proposed_by, event_id, proposed_at) ' +
          'VALUES ($1, $2, $3, $4, $5, $6, $7, $8, to_timestamp($9 / 1000.0))',
        [
          proposalId,
          policy.policyId,
          policy.version,
          contentHash,
          JSON.stringify(policy),
          JSON.stringify(loosening),
          origin.principal ? JSON.stringify(origin.principal) : null,
          eventId,
          occurredAt,
        ],
      );
    }
    return { kind: 'proposed', proposalId, policyId: policy.policyId, policyVersion: policy.version, contentHash, loosening };
  }

  /** What is worth knowing but does not stop publishing: metrics none of the policy's models' versions carry. */
  private async warnings(client: PoolClient, policy: GatePolicy): Promise<FieldError[]> {
    const models = modelsMatching(policy, await gateStore.registeredModels(client));
    return policyMetricWarnings(policy, await gateStore.metricsCarried(client, models, P99_LATENCY_METRIC));
  }

  private async record(
    client: PoolClient,
    policy: GatePolicy,
    contentHash: string,
    publishedBy: string | null,
    origin: EventOrigin,
  ): Promise<void> {
    const eventId = randomUUID();
    const occurredAt = Date.now();
    const event = {
      envelope: buildEnvelope('GatePolicyPublished', {
        eventId,
        occurredAt,
        producer: this.deps.producer,
        ...origin,
        modelName: policySubject(policy.policyId),
      }),
      policyId: policy.policyId,
      policyVersion: policy.version,
      contentHash,
      modelPatterns: policy.models,
      document: canonicalJson(policy),
      publishedBy,
    };
    const messages = ensureEventsFit(
      [eventMessage(this.deps.codec, this.deps.topics, { type: 'GatePolicyPublished', data: event })],
      this.deps.maxEventBytes,
    );
    await client.query(
      'INSERT INTO gates.policies (policy_id, policy_version, content_hash, document, event_id, published_at) ' +
        'VALUES ($1, $2, $3, $4, $5, to_timestamp($6 / 1000.0))',
      [policy.policyId, policy.version, contentHash, JSON.stringify(policy), eventId, occurredAt],
    );
    await this.deps.relay.enqueue(client, messages);
  }
}
