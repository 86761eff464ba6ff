import type { Pool } from '@modelreg/postgres';
import type { VersionLineage } from '@modelreg/projections';
import type { Page } from './model-queries';

/** Gate decisions, training history, online results and lineage search over the read models. */
export class VersionQueries {
  constructor(private readonly pool: Pool) {}

  async history(modelName: string, page: Page) {
    const rows = await this.pool.query(
      `SELECT model_version AS "modelVersion", registered_at AS "registeredAt", code_commit AS "codeCommit",
              lineage->'metrics'->'overall' AS metrics,
              (SELECT verdict FROM projections.gate_decisions d
                WHERE d.model_name = v.model_name AND d.model_version = v.model_version
                ORDER BY decided_at DESC, event_id LIMIT 1) AS verdict
         FROM projections.model_versions v WHERE model_name = $1 ORDER BY model_version LIMIT $2 OFFSET $3`,
      [modelName, page.limit, page.offset],
    );
    return rows.rows;
  }

  async lineage(modelName: string, modelVersion: number): Promise<VersionLineage | null> {
    const row = (
      await this.pool.query('SELECT lineage FROM projections.model_versions WHERE model_name = $1 AND model_version = $2', [
        modelName,
        modelVersion,
      ])
    ).rows[0] as { lineage: VersionLineage } | undefined;
    return row?.lineage ?? null;
  }

  async decisions(modelName: string, modelVersion: number) {
    const rows = await this.pool.query(
      `SELECT event_id AS "eventId", decided_at AS "decidedAt", verdict, eligible AS "eligibleForDeployment",
        baseline_version AS "baselineVersion", baseline_rule AS "baselineRule",
              json_build_object('policyId', policy_id, 'policyVersion', policy_version, 'contentHash', policy_hash) AS policy,
              trigger, checks, baselines
         FROM projections.gate_decisions WHERE model_name = $1 AND model_version = $2 ORDER BY decided_at, event_id`,
      [modelName, modelVersion],
    );
    return rows.rows;
  }

  /**
   * Reproduction status: the comparisons where this version reproduces an earlier one
   * (`reproduces`) and where later runs reproduced it (`reproducedBy`), oldest first.
   */
  async reproductions(modelName: string, modelVersion: number) {
    const rows = (
      await this.pool.query(
        `SELECT event_id AS "eventId", model_version AS "modelVersion", reproduced_version AS "reproducedVersion", outcome,
                recorded_at AS "recordedAt",
                json_build_object('policyId', policy_id, 'policyVersion', policy_version, 'contentHash', policy_hash) AS policy,
                comparison
           FROM projections.reproductions WHERE model_name = $1 AND (model_version = $2 OR reproduced_version = $2)
          ORDER BY recorded_at, event_id`,
        [modelName, modelVersion],
      )
    ).rows as Array<{ modelVersion: number; comparison: Record<string, unknown> } & Record<string, unknown>>;
    const flat = rows.map(({ comparison, ...row }) => ({ ...row, ...comparison }));
    return {
      reproduces: flat.filter((row) => row.modelVersion === modelVersion),
      reproducedBy: flat.filter((row) => row.modelVersion !== modelVersion),
    };
  }

  async onlineResults(modelName: string, modelVersion: number) {
    const [online, tests] = await Promise.all([
      this.pool.query(
        `SELECT event_id AS "eventId", environment, service, surface, window_start AS "windowStart", window_end AS "windowEnd", metrics
           FROM projections.online_metrics WHERE model_name = $1 AND model_version = $2 ORDER BY window_end, event_id`,
        [modelName, modelVersion],
      ),
      this.pool.query(
        `SELECT test_id AS "testId", environment, service, surface, control_version AS "controlVersion",
                treatment_version AS "treatmentVersion", decision, results, concluded_at AS "concludedAt"
           FROM projections.ab_tests WHERE model_name = $1 AND (control_version = $2 OR treatment_version = $2)
          ORDER BY concluded_at, event_id`,
        [modelName, modelVersion],
      ),
    ]);
    return { onlineMetrics: online.rows, abTests: tests.rows };
  }

  /**
   * Impact search: versions that used a data snapshot, a feature version, a code commit or an
   * environment fingerprint, each with where it is deployed now (serving or canary).
   */
  async impact(
    criterion: { dataSnapshot?: string; feature?: { name: string; version: string }; commit?: string; environment?: string },
    page: Page,
  ) {
    const matches = criterion.dataSnapshot
      ? {
          sql: 'SELECT model_name, model_version FROM projections.version_data_snapshots WHERE snapshot_id = $1',
          params: [criterion.dataSnapshot],
        }
      : criterion.feature
        ? {
            sql: 'SELECT model_name, model_version FROM projections.version_features WHERE feature_name = $1 AND feature_version = $2',
            params: [criterion.feature.name, criterion.feature.version],
          }
        : criterion.commit
          ? { sql: 'SELECT model_name, model_version FROM projections.model_versions WHERE code_commit = $1', params: [criterion.commit] }
          : {
              sql: 'SELECT model_name, model_version FROM projections.model_versions WHERE environment_fingerprint = $1',
              params: [criterion.environment],
            };
    const n = matches.params.length;
    const rows = await this.pool.query(
      `WITH matched AS (${matches.sql})
       SELECT m.model_name AS "modelName", m.model_version AS "modelVersion",
              coalesce((SELECT json_agg(json_build_object('environment', p.environment, 'service', p.service,
                                                          'surface', p.surface, 'role', 'serving', 'trafficPercent', 100)
                                        ORDER BY p.environment, p.service, p.surface)
                          FROM projections.placements p
                         WHERE p.model_name = m.model_name AND p.serving_version = m.model_version), '[]'::json)::jsonb
              || coalesce((SELECT json_agg(json_build_object('environment', d.environment, 'service', d.service,
                                                             'surface', d.surface, 'role', 'canary', 'trafficPercent', d.traffic_percent)
                                           ORDER BY d.environment, d.service, d.surface)
                             FROM projections.deployments d
                            WHERE d.model_name = m.model_name AND d.model_version = m.model_version AND d.status = 'CANARY'),
                           '[]'::json)::jsonb AS "deployedNow"
         FROM matched m ORDER BY m.model_name, m.model_version LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...matches.params, page.limit, page.offset],
    );
    return rows.rows.map((row: { deployedNow: unknown[] }) => ({ ...row, isDeployed: row.deployedNow.length > 0 }));
  }
}
