import { parkedRecordsTopic } from './parked-record';

export const AdminApiDeadLetteredTopic = parkedRecordsTopic('admin-api');
