import { identifier, integerInRange, readServiceSettings, type Env, type ServiceSettings } from '@modelreg/config';

export interface DeploymentTrackerConfig extends ServiceSettings {
  consumerGroup: string;
  /** Reported timestamps may be at most this far in the future (controller clock skew), ms. */
  maxClockSkewMs: number;
}

/** Read once at boot; a missing or malformed value stops the service naming the variable. */
export function loadDeploymentTrackerConfig(env: Env): DeploymentTrackerConfig {
  const settings = readServiceSettings(env, 'deployment-tracker', 'DEPLOYMENT_TRACKER_PORT');
  return {
    ...settings,
    consumerGroup: identifier(env, 'DEPLOYMENT_TRACKER_CONSUMER_GROUP', `${settings.bus.topicPrefix}.deployment-tracker`),
    maxClockSkewMs: integerInRange(env, 'MAX_CLOCK_SKEW_SECONDS', 300, 0, 86_400) * 1000,
  };
}
