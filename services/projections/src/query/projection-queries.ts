import type { EventCodec } from '@modelreg/events';
import type { Kafka } from '@modelreg/kafka';
import type { Pool } from '@modelreg/postgres';
import { exportAudit } from './audit-export';
import { buildAuditBundle } from './audit-bundle';
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
  ) {
    this.models = new ModelQueries(pool);
    this.versions = new VersionQueries(pool);
    this.deployments = new DeploymentQueries(pool);
  }

  audit(modelName: string, modelVersion: number, includeRaw: boolean) {
    return exportAudit(this.pool, this.kafka, this.codec, modelName, modelVersion, includeRaw);
  }

  auditBundle(modelName: string, modelVersion: number) {
    return buildAuditBundle(this.pool, this.kafka, this.codec, modelName, modelVersion, new Date());
  }
}
