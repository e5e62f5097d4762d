import './rules.css';

export { RulePage } from './RulePage';
export { RulesPage } from './RulesPage';
