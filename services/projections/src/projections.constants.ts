export const PROJECTIONS_QUERIES = 'PROJECTIONS_QUERIES';
export const PROJECTIONS_SCHEMA = 'projections';
export const SERVICE_NAME = 'projections';
