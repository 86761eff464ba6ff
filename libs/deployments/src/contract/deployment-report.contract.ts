import { z } from 'zod';
import { ModelNameParam, named } from '@modelreg/validation';
import { PLACEMENT_NAME_HINT, PLACEMENT_NAME_PATTERN } from '../validate-report';
import { REPORT_KINDS } from '../deployment-report';

/**
 * The wire shape of a deployment controller's report and of a promotion. `validateDeploymentReport`
 * keeps what a shape cannot say (identifier alphabets, metric names, clock skew, windows in order)
 * and also reads the reports that arrive on Kafka.
 */
const isoTime = z.string().describe('ISO 8601 date-time with zone');
const version = z.int().min(1);
const placement = { modelName: z.string(), service: z.string(), surface: z.string(), environment: z.string() };
/** Each kind a named schema (CanaryStartedReport, …): generated clients get one class per kind. */
const report = <K extends (typeof REPORT_KINDS)[number], S extends z.ZodRawShape>(kind: K, shape: S) =>
  named(
    `${kind.toLowerCase().replace(/(^|_)([a-z])/g, (_, _sep: string, letter: string) => letter.toUpperCase())}Report`,
    z.object({ kind: z.literal(kind), reportId: z.string().describe('Idempotency key'), reportedAt: isoTime, ...shape }),
  );

export const DeploymentReportSchema = named(
  'DeploymentReport',
  z.discriminatedUnion('kind', [
    report('CANARY_STARTED', {
      deploymentId: z.string(),
      ...placement,
      modelVersion: version,
      trafficPercent: z.number(),
      baselineVersion: version.nullable().optional(),
    }),
    report('CANARY_TRAFFIC_CHANGED', { deploymentId: z.string(), trafficPercent: z.number() }),
    report('ROLLOUT_COMPLETED', { deploymentId: z.string() }),
    report('ROLLED_BACK', {
      deploymentId: z.string(),
      toVersion: version,
      reason: z.string(),
      triggerMetric: z.string().nullable().optional(),
      triggerValue: z.number().nullable().optional(),
    }),
    report('DEPLOYMENT_RETIRED', { deploymentId: z.string(), reason: z.string() }),
    report('ONLINE_METRICS', {
      ...placement,
      modelVersion: version,
      windowStart: isoTime,
      windowEnd: isoTime,
      metrics: z.record(z.string(), z.number()),
    }),
    report('AB_TEST_CONCLUDED', {
      testId: z.string(),
      ...placement,
      controlVersion: version,
      treatmentVersion: version,
      results: z
        .array(
          z.object({
            metric: z.string(),
            controlValue: z.number(),
            treatmentValue: z.number(),
            relativeLift: z.number(),
            confidenceLow: z.number(),
            confidenceHigh: z.number(),
            confidenceLevel: z.number().optional().describe('Default 0.95'),
            controlSamples: z.int().min(1),
            treatmentSamples: z.int().min(1),
          }),
        )
        .min(1),
      decision: z.enum(['SHIP_TREATMENT', 'KEEP_CONTROL', 'INCONCLUSIVE']),
    }),
  ]),
  {
    description: 'What a deployment controller did or saw; the kind says which fields come with it.',
    example: {
      kind: 'CANARY_STARTED',
      reportId: 'r-0001',
      reportedAt: '2024-01-26T10:00:00Z',
      deploymentId: 'dep-1',
      modelName: 'fraud-model',
      modelVersion: 2,
      service: 'checkout',
      surface: 'web',
      environment: 'prod',
      trafficPercent: 5,
    },
  },
);

const appendedEvents = z.array(z.object({ type: z.string(), eventId: z.string() })).describe('The events appended (the first time)');

export const DeploymentReportOutcome = named(
  'DeploymentReportOutcome',
  z.object({
    outcome: z.literal('applied'),
    duplicate: z.boolean().describe('This report id was seen before; nothing changed'),
    events: appendedEvents,
  }),
);

export const PromotionRequest = named('PromotionRequest', z.object({ ...placement, modelVersion: version }), {
  example: { modelName: 'fraud-model', modelVersion: 2, service: 'checkout', surface: 'web', environment: 'prod' },
});

export const PromotionAnswer = named(
  'Promotion',
  z.object({
    status: z.literal('promoted'),
    eventId: z.string().describe('The ModelPromoted event id'),
    ...placement,
    modelVersion: version,
  }),
);

const isoOrNull = z.iso.datetime({ offset: true }).nullable();

/** What serves one placement, as every service answers it (`placementJson`). */
export const PlacementServing = named(
  'PlacementServing',
  z.object({
    environment: z.string(),
    service: z.string(),
    surface: z.string(),
    servingVersion: z.int().nullable(),
    servingDeploymentId: z.string().nullable(),
    servingSince: isoOrNull,
    servedVersions: z.array(z.int()).describe('Every version that served 100%: rollback targets'),
    canaries: z.array(
      z.object({
        deploymentId: z.string(),
        modelVersion: z.int(),
        trafficPercent: z.number(),
        baselineVersion: z.int().nullable(),
        startedAt: isoOrNull,
      }),
    ),
  }),
);

export const DeploymentPlacementList = named(
  'DeploymentPlacementList',
  z.object({ modelName: z.string(), items: z.array(PlacementServing) }),
);

export const DeploymentView = named(
  'Deployment',
  z.object({
    deploymentId: z.string(),
    ...placement,
    modelVersion: z.int(),
    status: z.enum(['CANARY', 'SERVING', 'SUPERSEDED', 'ROLLED_BACK', 'RETIRED']),
    trafficPercent: z.number(),
    baselineVersion: z.int().nullable(),
    startedAt: isoOrNull,
    lastReportAt: isoOrNull.describe('reportedAt of the last report applied'),
  }),
);

/** The query of GET /v1/deployments/placements. */
export const PlacementsQuery = z.object({
  modelName: ModelNameParam,
  environment: z
    .string()
    .regex(PLACEMENT_NAME_PATTERN, { error: PLACEMENT_NAME_HINT })
    .optional()
    .meta({ description: 'Only this environment' }),
});
