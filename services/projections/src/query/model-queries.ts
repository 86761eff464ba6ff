import type { Pool } from '@modelreg/postgres';
import { toVersionView } from '@modelreg/lineage';
import type { VersionLineage } from '@modelreg/projections';

export interface Page {
  limit: number;
  offset: number;
}

export interface ModelSummary {
  modelName: string;
  latestVersion: number;
  versionCount: number;
  firstRegisteredAt: string;
  lastRegisteredAt: string;
}

export interface VersionSummary {
  modelName: string;
  modelVersion: number;
  trainingRunId: string;
  registeredAt: string;
  codeCommit: string;
  environmentFingerprint: string;
}

export class ModelQueries {
  constructor(private readonly pool: Pool) {}

  async listModels(page: Page, nameContains?: string): Promise<{ items: ModelSummary[]; total: number }> {
    const filter = nameContains ? `%${nameContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : '%';
    const [items, total] = await Promise.all([
      this.pool.query(
        `SELECT model_name AS "modelName", latest_version AS "latestVersion", version_count AS "versionCount",
                first_registered_at AS "firstRegisteredAt", last_registered_at AS "lastRegisteredAt"
           FROM projections.models WHERE model_name LIKE $1 ORDER BY model_name LIMIT $2 OFFSET $3`,
        [filter, page.limit, page.offset],
      ),
      this.pool.query('SELECT count(*)::int AS n FROM projections.models WHERE model_name LIKE $1', [filter]),
    ]);
    return { items: items.rows as ModelSummary[], total: (total.rows[0] as { n: number }).n };
  }

  async listVersions(modelName: string, page: Page): Promise<{ items: VersionSummary[]; total: number }> {
    const [items, total] = await Promise.all([
      this.pool.query(
        `SELECT model_name AS "modelName", model_version AS "modelVersion", training_run_id AS "trainingRunId",
                registered_at AS "registeredAt", code_commit AS "codeCommit", environment_fingerprint AS "environmentFingerprint"
           FROM projections.model_versions WHERE model_name = $1 ORDER BY model_version DESC LIMIT $2 OFFSET $3`,
        [modelName, page.limit, page.offset],
      ),
      this.pool.query('SELECT count(*)::int AS n FROM projections.model_versions WHERE model_name = $1', [modelName]),
    ]);
    return { items: items.rows as VersionSummary[], total: (total.rows[0] as { n: number }).n };
  }

  async getVersion(modelName: string, modelVersion: number): Promise<Record<string, unknown> | null> {
    const result = await this.pool.query(
      `SELECT model_name AS "modelName", model_version AS "modelVersion", training_run_id AS "trainingRunId",
              registered_at AS "registeredAt", event_id AS "eventId", lineage
         FROM projections.model_versions WHERE model_name = $1 AND model_version = $2`,
      [modelName, modelVersion],
    );
    const row = result.rows[0] as { lineage: VersionLineage } | undefined;
    if (!row) return null;
    const { lineage, ...columns } = row;
    return { ...toVersionView(lineage), ...columns };
  }
}
