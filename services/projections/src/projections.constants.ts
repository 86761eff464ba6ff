export const PROJECTIONS_QUERIES = 'PROJECTIONS_QUERIES';
export const PROJECTIONS_REBUILDER = 'PROJECTIONS_REBUILDER';
export const PROJECTIONS_SCHEMA = 'projections';
export const SERVICE_NAME = 'projections';
