import { parkedRecordsTopic } from './parked-record';

export const RetrySchedulerDeadLetteredTopic = parkedRecordsTopic('retry-scheduler');
