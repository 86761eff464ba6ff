import type { EventEnvelope } from './envelope';

/** Where a deployment lives: one surface of one service in one environment. */
export interface DeploymentPlacement {
  deploymentId: string;
  modelName: string;
  service: string;
  surface: string;
  environment: string;
}

/** Mirrors schemas/deployments/CanaryStarted (latest version). */
export interface CanaryStarted extends DeploymentPlacement {
  envelope: EventEnvelope;
  modelVersion: number;
  trafficPercent: number;
  baselineVersion: number | null;
  startedAt: number;
}

/** Mirrors schemas/deployments/RolledBack (latest version). */
export interface RolledBack extends DeploymentPlacement {
  envelope: EventEnvelope;
  fromVersion: number;
  toVersion: number;
  reason: string;
  triggerMetric: string | null;
  triggerValue: number | null;
  rolledBackAt: number;
}
