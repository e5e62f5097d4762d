import './endpoints.css';

export { EndpointPage } from './EndpointPage';
export { EndpointsPage } from './EndpointsPage';
