export { stackUp, stackDown, stackStatus } from './local-stack';
export { readStackEnv, readStackState } from './stack-state';
export { planPorts, defaultPortBase, REPO_ROOT } from './stack-layout';
export type { PortPlan } from './stack-layout';
export { isPortOpen, isProcessAlive, stopProcess, waitUntil } from './processes';
export { ensureKafkaJars, startKafka, waitForKafka, KAFKA_VERSION } from './kafka-server';
export { ensureChromium, DEFAULT_CHROMIUM } from './chromium';
export { registryServices, ServiceSupervisor } from './service-supervisor';
export type { SupervisedService } from './service-supervisor';
