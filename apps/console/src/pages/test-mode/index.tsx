import './test-mode.css';

export { TestModePage } from './TestModePage';
