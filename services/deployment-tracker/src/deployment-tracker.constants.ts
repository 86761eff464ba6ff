export const SERVICE_NAME = 'deployment-tracker';
export const DEPLOYMENTS_SCHEMA = 'deployments';
