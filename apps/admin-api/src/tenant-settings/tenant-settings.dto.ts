import { z } from 'zod';
import type { TenantSettings } from './tenant-settings.ports';

const RULE = 'must be a whole number of days from 1 to 3650, or null for the default';

/** The whole settings object: PUT replaces it, so every field is named (null for the default). */
export const PutTenantSettingsSchema = z
  .object({
    logRetentionDays: z.int({ error: RULE }).min(1, RULE).max(3650, RULE).nullable(),
  })
  .strict();

export const TenantSettingsViewSchema = z.object({
  tenantId: z.string(),
  logRetentionDays: z
    .number()
    .int()
    .nullable()
    .meta({ description: "days the delivery log keeps the tenant's rows; null = log-store's HOOKLINE_LOG_RETENTION_DAYS" }),
  updatedAt: z.string().nullable(),
});

export function toTenantSettingsView(s: TenantSettings): z.output<typeof TenantSettingsViewSchema> {
  return { tenantId: s.tenantId, logRetentionDays: s.logRetentionDays, updatedAt: s.updatedAt?.toISOString() ?? null };
}
