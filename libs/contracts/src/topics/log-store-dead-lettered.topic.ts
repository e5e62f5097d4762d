import { parkedRecordsTopic } from './parked-record';

export const LogStoreDeadLetteredTopic = parkedRecordsTopic('log-store');
