export const SERVICE_NAME = 'gate-validator';
export const GATES_SCHEMA = 'gates';
