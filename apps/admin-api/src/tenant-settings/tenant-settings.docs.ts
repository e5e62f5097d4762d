import type { RouteDoc } from '@hookline/service-kit';
import { TenantParam } from '../endpoints/endpoint.dto';
import { PutTenantSettingsSchema, TenantSettingsViewSchema } from './tenant-settings.dto';

const tag = 'Tenant settings';

/** The OpenAPI description of a tenant's settings. */
export const TenantSettingsDocs = {
  get: {
    tag,
    summary: "A tenant's settings",
    description: 'How long the delivery log keeps the tenant’s rows (null: the deployment’s default).',
    params: TenantParam,
    responses: { 200: { description: 'the settings', schema: TenantSettingsViewSchema } },
  },
  put: {
    tag,
    summary: "Replace a tenant's settings",
    description: 'A shorter retention deletes history at log-store’s next run, in batches. Takes `admin`; a tenant’s own admin key may set its own tenant.',
    params: TenantParam,
    body: PutTenantSettingsSchema,
    bodyExample: { logRetentionDays: 90 },
    responses: { 200: { description: 'the settings as saved', schema: TenantSettingsViewSchema } },
  },
} satisfies Record<string, RouteDoc>;
