import { startTelemetry } from '@hookline/telemetry';

// Imported first by main.ts so tracing is in place before anything else loads.
startTelemetry('dispatcher');
