import { identifier, readServiceSettings, type Env, type ServiceSettings } from '@modelreg/config';

export interface GateValidatorConfig extends ServiceSettings {
  consumerGroup: string;
}

/** Read once at boot; a missing or malformed value stops the service naming the variable. */
export function loadGateValidatorConfig(env: Env): GateValidatorConfig {
  const settings = readServiceSettings(env, 'gate-validator', 'GATE_VALIDATOR_PORT');
  return { ...settings, consumerGroup: identifier(env, 'GATE_VALIDATOR_CONSUMER_GROUP', `${settings.bus.topicPrefix}.gate-validator`) };
}
