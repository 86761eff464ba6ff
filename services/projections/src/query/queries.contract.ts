import { z } from 'zod';
import { PLACEMENT_NAME_HINT, PLACEMENT_NAME_PATTERN } from '@modelreg/deployments';
import { EVENT_NAMES, EventPrincipalSchema, TOPIC_ROLE_OF_EVENT } from '@modelreg/events';
import { BaselineEvaluation, GateCheckResult } from '@modelreg/gates';
import { booleanParam, integerParam, IsoTime, ModelNameParam, named, pageQuery } from '@modelreg/validation';

/** The answers of the projections' read API (models, search): what the read models hold, times ISO 8601. */
const page = { limit: z.int(), offset: z.int() };
const metricValues = z.record(z.string(), z.number());
const policyRef = z.object({ policyId: z.string(), policyVersion: z.int(), contentHash: z.string() });
const surface = { environment: z.string(), service: z.string(), surface: z.string() };
const verdict = z.enum(['PASSED', 'FAILED']);

export const ModelList = named(
  'ModelList',
  z.object({
    items: z.array(
      z.object({
        modelName: z.string(),
        latestVersion: z.int(),
        versionCount: z.int(),
        firstRegisteredAt: IsoTime,
        lastRegisteredAt: IsoTime,
      }),
    ),
    total: z.int(),
    ...page,
  }),
);

export const VersionList = named(
  'VersionList',
  z.object({
    items: z.array(
      z.object({
        modelName: z.string(),
        modelVersion: z.int(),
        trainingRunId: z.string(),
        registeredAt: IsoTime,
        codeCommit: z.string(),
        environmentFingerprint: z.string(),
      }),
    ),
    total: z.int(),
    ...page,
  }),
);

export const TrainingHistory = named(
  'TrainingHistory',
  z.object({
    modelName: z.string(),
    items: z.array(
      z.object({
        modelVersion: z.int(),
        registeredAt: IsoTime,
        codeCommit: z.string(),
        metrics: metricValues.describe('Overall metrics'),
        verdict: verdict.nullable().describe('The latest gate verdict; null before any'),
      }),
    ),
    ...page,
  }),
);

export const ProjectedDecisionList = named(
  'ProjectedDecisionList',
  z.object({
    items: z.array(
      z.object({
        eventId: z.string(),
        decidedAt: IsoTime,
        verdict,
        eligibleForDeployment: z.boolean(),
        baselineVersion: z.int().nullable(),
        baselineRule: z.string(),
        policy: policyRef,
        trigger: z.string(),
        checks: z.array(GateCheckResult),
        baselines: z.array(BaselineEvaluation),
      }),
    ),
  }),
);

export const OnlineResults = named(
  'OnlineResults',
  z.object({
    onlineMetrics: z.array(z.object({ eventId: z.string(), ...surface, windowStart: IsoTime, windowEnd: IsoTime, metrics: metricValues })),
    abTests: z.array(
      z.object({
        testId: z.string(),
        ...surface,
        controlVersion: z.int(),
        treatmentVersion: z.int(),
        decision: z.enum(['SHIP_TREATMENT', 'KEEP_CONTROL', 'INCONCLUSIVE']),
        results: z.array(z.looseObject({ metric: z.string() })),
        concludedAt: IsoTime,
      }),
    ),
  }),
);

const reproduction = z
  .looseObject({
    eventId: z.string(),
    modelVersion: z.int(),
    reproducedVersion: z.int(),
    outcome: z.enum(['EXACT', 'WITHIN_TOLERANCE', 'DIVERGED']),
    recordedAt: IsoTime,
    policy: policyRef,
  })
  .describe("With the comparison's fields (the differences) beside these");
export const ReproductionStatus = named(
  'ReproductionStatus',
  z.object({ reproduces: z.array(reproduction), reproducedBy: z.array(reproduction) }),
);

export const DeploymentTimeline = named(
  'DeploymentTimeline',
  z.object({
    modelName: z.string(),
    items: z.array(
      z.object({
        eventId: z.string(),
        occurredAt: IsoTime,
        eventType: z.string(),
        modelVersion: z.int().nullable(),
        deploymentId: z.string().nullable(),
        environment: z.string().nullable(),
        service: z.string().nullable(),
        surface: z.string().nullable(),
        details: z.record(z.string(), z.unknown()).describe("The event's own fields"),
        principal: EventPrincipalSchema.nullable(),
        requestId: z.string().nullable(),
      }),
    ),
    total: z.int(),
    ...page,
    eventTypes: z.array(z.string()).describe('The event types a timeline holds'),
  }),
);

const valueChange = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });
const setChanges = (item: z.ZodType) =>
  z.object({
    added: z.array(item),
    removed: z.array(item),
    changed: z.array(z.object({ key: z.string(), changes: z.array(valueChange) })),
  });
const metricDelta = z.object({ metric: z.string(), from: z.number().nullable(), to: z.number().nullable(), delta: z.number().nullable() });
const hyperparameterType = z.enum(['boolean', 'long', 'double', 'string']).nullable();

export const LineageDiffSchema = named(
  'LineageDiff',
  z.object({
    modelName: z.string(),
    fromVersion: z.int(),
    toVersion: z.int(),
    identicalLineage: z.boolean(),
    code: z.array(valueChange),
    dataSnapshots: setChanges(z.object({ snapshotId: z.string(), source: z.string(), coveredFrom: IsoTime, coveredTo: IsoTime })),
    features: setChanges(z.object({ name: z.string(), version: z.string(), transformHash: z.string() })),
    hyperparameters: z.array(valueChange.extend({ fromType: hyperparameterType, toType: hyperparameterType })),
    seeds: z.array(valueChange),
    environment: z.object({
      fields: z.array(valueChange),
      packages: setChanges(z.object({ name: z.string(), version: z.string(), ecosystem: z.string() })),
    }),
    artifacts: setChanges(z.looseObject({ target: z.string(), sha256: z.string() })),
    metrics: z.object({
      overall: z.array(metricDelta),
      slices: z.array(z.object({ slice: z.string(), deltas: z.array(metricDelta) })),
      fairness: z.array(z.object({ attribute: z.string(), group: z.string(), deltas: z.array(metricDelta) })),
      operational: z.array(z.object({ target: z.string(), deltas: z.array(metricDelta) })),
    }),
  }),
  { description: 'What changed from version `against` to `version`.' },
);

export const AuditExportLine = named(
  'AuditExportLine',
  z.object({
    topic: z.string(),
    partition: z.int(),
    offset: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    occurredAt: IsoTime,
    principal: EventPrincipalSchema.nullable(),
    requestId: z.string().nullable(),
    event: z.unknown().describe('The event as decoded from the log itself'),
    rawAvroBase64: z.string().optional().describe('raw=true: the record value as stored (Avro single-object encoding)'),
  }),
  { description: 'One line of a JSON Lines audit export.' },
);

export const AuditVerificationReportSchema = named(
  'AuditVerificationReport',
  z.object({
    modelName: z.string(),
    ok: z.boolean(),
    verified: z.int(),
    unsigned: z.int(),
    breaks: z.array(z.object({ topic: z.string(), partition: z.int(), offset: z.string(), eventId: z.string(), reason: z.string() })),
  }),
);

export const AuditBundleSchema = named(
  'AuditBundle',
  z.object({
    format: z.literal('modelreg.audit-bundle/v1'),
    modelName: z.string(),
    modelVersion: z.int(),
    createdAt: IsoTime,
    events: z.array(z.looseObject({})),
    policies: z.array(z.looseObject({})),
    artifacts: z.array(z.looseObject({})),
  }),
  {
    description:
      'Verify offline with `modelreg audit verify-bundle <file>`; the CLI defines the members of events, policies and artifacts.',
  },
);

const deployedPlacement = z.object({
  modelName: z.string(),
  ...surface,
  servingVersion: z.int().nullable(),
  servingDeploymentId: z.string().nullable(),
  servingSince: IsoTime.nullable(),
  servedVersions: z.array(z.int()),
  canaries: z.array(
    z.object({
      deploymentId: z.string(),
      modelVersion: z.int(),
      trafficPercent: z.number(),
      baselineVersion: z.int().nullable(),
      since: IsoTime,
    }),
  ),
});

export const DeployedList = named('DeployedList', z.object({ items: z.array(deployedPlacement) }));

export const Overview = named(
  'Overview',
  z.object({
    deployed: z.array(deployedPlacement),
    recentGateFailures: z.array(
      z.object({
        modelName: z.string(),
        modelVersion: z.int(),
        decidedAt: IsoTime,
        baselineVersion: z.int().nullable(),
        policyId: z.string(),
        failedChecks: z.array(z.string()),
      }),
    ),
    recentRollbacks: z.array(
      z.object({
        modelName: z.string(),
        modelVersion: z.int().nullable(),
        occurredAt: IsoTime,
        ...surface,
        details: z.record(z.string(), z.unknown()),
      }),
    ),
    recentActivity: z.array(
      z.object({ eventType: z.string(), modelName: z.string(), modelVersion: z.int().nullable(), occurredAt: IsoTime, loggedAt: IsoTime }),
    ),
  }),
);

export const ImpactList = named(
  'ImpactList',
  z.object({
    items: z.array(
      z.object({
        modelName: z.string(),
        modelVersion: z.int(),
        isDeployed: z.boolean(),
        deployedNow: z.array(z.object({ ...surface, role: z.enum(['serving', 'canary']), trafficPercent: z.number() })),
      }),
    ),
    ...page,
  }),
);

/* Query strings: checked, typed and documented by these (ContractQuery). */

export const ModelListQuery = pageQuery().extend({
  nameContains: z
    .string()
    .regex(/^[a-z0-9._-]{1,128}$/, { error: 'must be 1-128 characters of a-z, 0-9, ".", "_" or "-"' })
    .optional()
    .meta({ description: 'A part of the model name' }),
});

export const VersionListQuery = pageQuery();

export const HistoryQuery = pageQuery(5000);

/** Event types on a model's deployment timeline: those of the deployments topic. */
export const TIMELINE_EVENT_TYPES: readonly string[] = EVENT_NAMES.filter((name) => TOPIC_ROLE_OF_EVENT[name] === 'deployments');

export const TimelineQuery = pageQuery().extend({
  order: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('asc').meta({ description: 'asc (oldest first) or desc' }),
  eventType: z
    .string()
    .superRefine((text, context) => {
      const unknown = text.split(',').find((type) => !TIMELINE_EVENT_TYPES.includes(type));
      if (unknown !== undefined)
        context.addIssue({
          code: 'custom',
          message: `unknown event type "${unknown.slice(0, 64)}"; one of ${TIMELINE_EVENT_TYPES.join(', ')}`,
        });
    })
    .transform((text) => text.split(','))
    .optional()
    .meta({ description: 'Comma-separated event types, e.g. RolledBack,RolloutCompleted' }),
  includeRejected: booleanParam()
    .default(true)
    .meta({ description: 'Refused controller reports (DeploymentReportRejected), true by default' }),
});

const versionNumber = integerParam(1, 2_147_483_647);

export const DiffQuery = z.object({
  version: versionNumber.meta({ description: 'The version diffed to (e.g. the candidate)' }),
  against: versionNumber.meta({ description: 'The version diffed from (e.g. the baseline)' }),
});

export const AuditQuery = z.object({
  raw: booleanParam().default(false).meta({ description: "true adds each record's Avro bytes (base64)" }),
});

export const OverviewQuery = z.object({
  limit: integerParam(1, 100).default(10).meta({ description: 'Items per list, 1-100, default 10' }),
});

const placementName = z.string().regex(PLACEMENT_NAME_PATTERN, { error: PLACEMENT_NAME_HINT });

export const DeployedQuery = z.object({
  modelName: ModelNameParam.optional(),
  service: placementName.optional(),
  environment: placementName.optional(),
});

const SEARCH_TOKEN = /^[A-Za-z0-9][A-Za-z0-9._:@+=,-]{0,199}$/;
const searchToken = z.string().regex(SEARCH_TOKEN, { error: 'must be 1-200 letters, digits and ._:@+=,-' });

/** Exactly one of the four keys (the handler checks that); `feature` is name@version. */
export const ImpactQuery = pageQuery().extend({
  dataSnapshot: searchToken.optional().meta({ description: 'A data snapshot id' }),
  feature: z
    .string()
    .regex(/^(.+)@([^@]+)$/, { error: 'must be name@version' })
    .transform((text) => ({ name: text.slice(0, text.lastIndexOf('@')), version: text.slice(text.lastIndexOf('@') + 1) }))
    .pipe(z.object({ name: searchToken, version: searchToken }))
    .optional()
    .meta({ description: 'name@version' }),
  commit: searchToken.optional().meta({ description: 'A code commit' }),
  environment: searchToken.optional().meta({ description: 'An environment fingerprint' }),
});
