import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EventOrigin } from '@modelreg/events';
import { ensureEventsFit, eventMessage } from '@modelreg/kafka';
import { buildRunRegistered, type RunSubmission } from '@modelreg/lineage';
import type { ArtifactSignature } from '@modelreg/events';
import { canonicalJson, type FieldError } from '@modelreg/validation';
import { isUniqueViolation, withTransaction, type PoolClient } from '@modelreg/postgres';
import type { IngestionDependencies } from '../ingestion-dependencies';
import { INGESTION_DEPENDENCIES, SERVICE_NAME } from '../ingestion.constants';
import { inspectArtifactSignatures } from './artifact-signatures';

export type RegistrationOutcome =
  | { kind: 'registered' | 'already-registered'; modelName: string; modelVersion: number; eventId: string }
  | { kind: 'invalid'; errors: FieldError[] }
  | { kind: 'conflict'; message: string };

/**
 * Registers a validated run: artifacts must already be stored under their sha256, the version
 * comes from a per-model counter in the same transaction as the registration and its
 * RunRegistered outbox row, so a registration is all there or not there at all.
 */
@Injectable()
export class RunRegistrationService {
  constructor(@Inject(INGESTION_DEPENDENCIES) private readonly deps: IngestionDependencies) {}

  async register(submission: RunSubmission, origin: EventOrigin, causationId: string | null = null): Promise<RegistrationOutcome> {
    const artifactErrors = await this.verifyArtifacts(submission);
    if (artifactErrors.length > 0) return { kind: 'invalid', errors: artifactErrors };
    const requestHash = hashOf(submission);
    const signatures = await inspectArtifactSignatures(this.deps.store, submission.artifacts);
    for (let attempt = 1; ; attempt += 1) {
      try {
        const outcome = await withTransaction(this.deps.pool, (client) =>
          this.registerIn(client, submission, signatures, requestHash, origin, causationId),
        );
        if (outcome.kind === 'registered') this.deps.relay.nudge();
        return outcome;
      } catch (error) {
        // A concurrent registration of the same training run won; the next attempt finds it.
        if (!isUniqueViolation(error) || attempt >= 3) throw error;
      }
    }
  }

  /**
   * Registers inside the caller's transaction (the event ledger's, for RunSubmitted), so the
   * registration, its RunRegistered and the consumer's position commit together. A concurrent
   * registration of the same training run fails the transaction; the ledger's retry finds it.
   * A registration that throws (an event too large to append) leaves nothing behind, the version
   * counter included: it runs under a savepoint.
   */
  async registerWithin(
    client: PoolClient,
    submission: RunSubmission,
    origin: EventOrigin,
    causationId: string | null,
  ): Promise<RegistrationOutcome> {
    const artifactErrors = await this.verifyArtifacts(submission);
    if (artifactErrors.length > 0) return { kind: 'invalid', errors: artifactErrors };
    const signatures = await inspectArtifactSignatures(this.deps.store, submission.artifacts);
    await client.query('SAVEPOINT registration');
    try {
      const outcome = await this.registerIn(client, submission, signatures, hashOf(submission), origin, causationId);
      await client.query('RELEASE SAVEPOINT registration');
      return outcome;
    } catch (error) {
      await client.query('ROLLBACK TO SAVEPOINT registration').catch(() => undefined);
      throw error;
    }
  }

  private async registerIn(
    client: PoolClient,
    submission: RunSubmission,
    signatures: Array<ArtifactSignature | null>,
    requestHash: string,
    origin: EventOrigin,
    causationId: string | null,
  ): Promise<RegistrationOutcome> {
    const eventId = randomUUID();
    const registeredAt = Date.now();
    const taken = await client.query(TAKE_VERSION, [
      submission.modelName,
      submission.trainingRunId,
      eventId,
      requestHash,
      registeredAt,
      submission.reproductionOf ?? null,
    ]);
    const row = taken.rows[0] as { added: boolean; model_version: number; event_id: string; request_hash: string } | undefined;
    if (!row)
      return {
        kind: 'invalid',
        errors: [{ field: 'reproductionOf', message: `${submission.modelName} v${submission.reproductionOf} is not registered` }],
      };
    if (!row.added) {
      if (row.request_hash !== requestHash) {
        return {
          kind: 'conflict',
          message:
            `training run ${submission.trainingRunId} is already registered ` +
            `as ${submission.modelName} v${row.model_version} with different content`,
        };
      }
      return { kind: 'already-registered', modelName: submission.modelName, modelVersion: row.model_version, eventId: row.event_id };
    }
    const modelVersion = row.model_version;
    const event = buildRunRegistered(submission, {
      modelVersion,
      registeredAt,
      eventId,
      producer: `${SERVICE_NAME}/${this.deps.instance}`,
      origin,
      causationId,
      storageUris: submission.artifacts.map((artifact) => this.deps.store.uriFor(artifact.sha256)),
      signatures,
    });
    // Too large to append: the transaction rolls back, so neither the version nor the registration is taken.
    const messages = ensureEventsFit(
      [eventMessage(this.deps.codec, this.deps.topics, { type: 'RunRegistered', data: event })],
      this.deps.maxEventBytes,
    );
    await this.deps.relay.enqueue(client, messages);
    return { kind: 'registered', modelName: submission.modelName, modelVersion, eventId };
  }

  /** Every declared artifact must be stored under its sha256 with the declared size. */
  private async verifyArtifacts(submission: RunSubmission): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    await Promise.all(
      submission.artifacts.map(async (artifact, index) => {
        const size = await this.deps.store.sizeOf(artifact.sha256);
        if (size === null)
          errors.push({
            field: `artifacts[${index}].sha256`,
            message: `no artifact with sha256 ${artifact.sha256} was uploaded (PUT /v1/artifacts/${artifact.sha256} first)`,
          });
        else if (size !== artifact.sizeBytes)
          errors.push({
            field: `artifacts[${index}].sizeBytes`,
            message: `declared ${artifact.sizeBytes} bytes, the stored artifact has ${size}`,
          });
      }),
    );
    return errors.sort((a, b) => a.field.localeCompare(b.field));
  }
}

/**
 * One round trip: the training run's registration when it has one (added = false); otherwise, when
 * the version it reproduces ($6) is registered or none is named, the model's next version taken
 * from its counter and the registration written (added = true); no row when the reproduced version
 * is not registered. A concurrent registration of the same run fails on the unique key; the retry
 * finds it.
 */
const TAKE_VERSION = `
WITH found AS (
  SELECT model_version, event_id, request_hash FROM ingestion.registrations WHERE model_name = $1 AND training_run_id = $2
), counter AS (
  INSERT INTO ingestion.model_version_counters (model_name, last_version)
  SELECT $1, 1 WHERE NOT EXISTS (SELECT 1 FROM found)
    AND ($6::int IS NULL OR EXISTS (SELECT 1 FROM ingestion.registrations WHERE model_name = $1 AND model_version = $6))
  ON CONFLICT (model_name) DO UPDATE SET last_version = model_version_counters.last_version + 1
  RETURNING last_version
), added AS (
  INSERT INTO ingestion.registrations (model_name, model_version, training_run_id, event_id, request_hash, registered_at)
  SELECT $1, last_version, $2, $3, $4, to_timestamp($5 / 1000.0) FROM counter
  RETURNING model_version, event_id, request_hash
)
SELECT false AS added, model_version, event_id, request_hash FROM found
UNION ALL
SELECT true, model_version, event_id, request_hash FROM added`;

/** Same training run, same content: what a retry must match. */
function hashOf(submission: RunSubmission): string {
  return createHash('sha256').update(canonicalJson(submission)).digest('hex');
}
