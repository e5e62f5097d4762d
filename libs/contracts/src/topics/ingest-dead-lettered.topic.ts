import { parkedRecordsTopic } from './parked-record';

export const IngestDeadLetteredTopic = parkedRecordsTopic('ingest');
