export { ContractBody, ContractPipe, ContractQuery, ContractResponse, QueryContractPipe } from './route-contract';
