import { parkedRecordsTopic } from './parked-record';

export const RulesEngineDeadLetteredTopic = parkedRecordsTopic('rules-engine');
