export { ContractBody, ContractPipe, ContractResponse } from './route-contract';
