export const SERVICE_NAME = 'deployment-tracker';
export const DEPLOYMENTS_SCHEMA = 'deployments';
export const DEPLOYMENT_TRACKER_DEPENDENCIES = 'DEPLOYMENT_TRACKER_DEPENDENCIES';
