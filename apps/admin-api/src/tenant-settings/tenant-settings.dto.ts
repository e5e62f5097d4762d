import { z } from 'zod';
import type { TenantSettings } from './tenant-settings.ports';

const RULE = 'must be a whole number of days from 1 to 3650, or null for the default';

/** The whole settings object: PUT replaces it, so every field is named (null for the default). */
export const PutTenantSettingsSchema = z
  .object({
    logRetentionDays: z.int({ error: RULE }).min(1, RULE).max(3650, RULE).nullable(),
  })
  .strict();

export function toTenantSettingsView(s: TenantSettings) {
  return { tenantId: s.tenantId, logRetentionDays: s.logRetentionDays, updatedAt: s.updatedAt?.toISOString() ?? null };
}
