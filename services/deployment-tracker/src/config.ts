import { identifier, readServiceSettings, type Env, type ServiceSettings } from '@modelreg/config';

export interface DeploymentTrackerConfig extends ServiceSettings {
  consumerGroup: string;
}

/** Read once at boot; a missing or malformed value stops the service naming the variable. */
export function loadDeploymentTrackerConfig(env: Env): DeploymentTrackerConfig {
  const settings = readServiceSettings(env, 'deployment-tracker', 'DEPLOYMENT_TRACKER_PORT');
  return { ...settings, consumerGroup: identifier(env, 'DEPLOYMENT_TRACKER_CONSUMER_GROUP', `${settings.bus.topicPrefix}.deployment-tracker`) };
}
