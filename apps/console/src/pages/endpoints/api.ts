import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type BodyOf, type ResponseOf } from '../../api/client';

export type Endpoint = ResponseOf<'/v1/tenants/{tenantId}/endpoints/{id}', 'get'>;
export type EndpointState = Endpoint['state'];
export type CreatedEndpoint = ResponseOf<'/v1/tenants/{tenantId}/endpoints', 'post', 201>;
export type CreateBody = BodyOf<'/v1/tenants/{tenantId}/endpoints', 'post'>;
export type UpdateBody = BodyOf<'/v1/tenants/{tenantId}/endpoints/{id}', 'patch'>;
export type EndpointStats = ResponseOf<'/v1/tenants/{tenantId}/endpoints/{id}/stats', 'get'>;
export type StatsWindow = EndpointStats['lastHour'];
export type HourFigures = EndpointStats['series'][number];
export type SigningKey = ResponseOf<'/v1/tenants/{tenantId}/endpoints/{id}/keys', 'get'>['data'][number];
export type KeyAlgorithm = BodyOf<'/v1/tenants/{tenantId}/endpoints/{id}/keys', 'post'>['algorithm'];
export type ModulusLength = NonNullable<BodyOf<'/v1/tenants/{tenantId}/endpoints/{id}/keys', 'post'>['modulusLength']>;
export type RotatedSecret = ResponseOf<'/v1/tenants/{tenantId}/endpoints/{id}/secret/rotate', 'post', 201>;
export type StateAction = 'pause' | 'resume' | 'disable' | 'enable';

/**
 * Query keys, all under the tenant so switching tenants never shows another
 * tenant's figures; the list's pages sit apart from single endpoints so a
 * change to one can refresh the list without refetching every detail.
 */
export const keys = {
  pages: (tenantId: string) => ['endpoints', tenantId, 'pages'] as const,
  one: (tenantId: string, id: string) => ['endpoints', tenantId, 'one', id] as const,
  stats: (tenantId: string, id: string) => ['endpoints', tenantId, 'one', id, 'stats'] as const,
  signingKeys: (tenantId: string, id: string) => ['endpoints', tenantId, 'one', id, 'keys'] as const,
};

export function useEndpointStats(tenantId: string, id: string, refetchInterval?: number) {
  return useQuery({
    queryKey: keys.stats(tenantId, id),
    queryFn: () => unwrap(api.GET('/v1/tenants/{tenantId}/endpoints/{id}/stats', { params: { path: { tenantId, id } } })),
    refetchInterval,
  });
}

/** The hourly series, or null from an admin-api that predates it (the console then draws no chart). */
export function seriesOf(stats: EndpointStats): HourFigures[] | null {
  const series: unknown = stats.series;
  return Array.isArray(series) ? (series as HourFigures[]) : null;
}

/** The state change each action asks for, as the endpoint's state machine allows it (README, "Endpoint states"). */
export function actionsFor(state: EndpointState['state']): StateAction[] {
  switch (state) {
    case 'enabled':
      return ['pause', 'disable'];
    case 'paused':
      return ['resume', 'disable'];
    case 'disabled':
      return ['enable'];
  }
}

export type ChatTool = NonNullable<CreateBody['chat']>['tool'];
export type ChatTemplate = NonNullable<NonNullable<CreateBody['chat']>['template']>;
