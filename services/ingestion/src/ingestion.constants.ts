export const INGESTION_DEPENDENCIES = 'INGESTION_DEPENDENCIES';
export const INGESTION_SCHEMA = 'ingestion';
export const SERVICE_NAME = 'ingestion';
