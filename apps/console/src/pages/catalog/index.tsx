import './catalog.css';

export { CatalogPage } from './CatalogPage';
export { EventTypePage } from './EventTypePage';
