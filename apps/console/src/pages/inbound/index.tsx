import './inbound.css';

export { InboundSourcePage } from './InboundSourcePage';
export { InboundSourcesPage } from './InboundSourcesPage';
