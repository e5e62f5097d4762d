import './contracts.css';

export { ContractPage } from './ContractPage';
export { ContractsPage } from './ContractsPage';
