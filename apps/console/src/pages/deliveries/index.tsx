import './deliveries.css';

export { DeliveriesPage } from './deliveries-page';
export { DeliveryPage } from './delivery-page';
