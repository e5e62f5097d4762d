import { parkedRecordsTopic } from './parked-record';

export const DispatcherDeadLetteredTopic = parkedRecordsTopic('dispatcher');
