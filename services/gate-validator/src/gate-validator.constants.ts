export const SERVICE_NAME = 'gate-validator';
export const GATES_SCHEMA = 'gates';
export const GATE_VALIDATOR_DEPENDENCIES = 'GATE_VALIDATOR_DEPENDENCIES';
