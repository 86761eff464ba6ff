import type { EventCodec, Keyring } from '@modelreg/events';
import type { Kafka } from '@modelreg/kafka';
import type { Pool } from '@modelreg/postgres';
import { exportAudit } from './audit-export';
import { buildAuditBundle } from './audit-bundle';
import { verifyModelAudit, type AuditVerificationReport } from './audit-verification';
import { DeploymentQueries } from './deployment-queries';
import { ModelQueries } from './model-queries';
import { VersionQueries } from './version-queries';

/** Every read of the query API, over the live read models. */
export class ProjectionQueries {
  readonly models: ModelQueries;
  readonly versions: VersionQueries;
  readonly deployments: DeploymentQueries;

  constructor(
    private readonly pool: Pool,
    private readonly kafka: Kafka,
    private readonly codec: EventCodec,
    /** Trusted signing keys (EVENT_KEYS_DIR); null: audit verification is unavailable. */
    private readonly keyring: Keyring | null,
  ) {
    this.models = new ModelQueries(pool);
    this.versions = new VersionQueries(pool);
    this.deployments = new DeploymentQueries(pool);
  }

  /** One version's events, or with `modelVersion` null the model's whole history. */
  audit(modelName: string, modelVersion: number | null, includeRaw: boolean) {
    return exportAudit(this.pool, this.kafka, this.codec, modelName, modelVersion, includeRaw);
  }

  auditBundle(modelName: string, modelVersion: number) {
    return buildAuditBundle(this.pool, this.kafka, this.codec, modelName, modelVersion, new Date());
  }

  /** The model's whole export verified (signatures, chains, heads); null without a keyring. */
  async verifyAudit(modelName: string): Promise<AuditVerificationReport | null> {
    if (!this.keyring) return null;
    return verifyModelAudit(this.pool, this.codec, this.keyring, modelName, await this.audit(modelName, null, true));
  }
}
