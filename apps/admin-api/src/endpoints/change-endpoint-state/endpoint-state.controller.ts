import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiRoute, CurrentCaller, RequireScope, tenantInPath, type Caller } from '@hookline/service-kit';
import { parseRequest } from '../../http/parse-request';
import { endpointParams, StateChangeSchema, toEndpointView } from '../endpoint.dto';
import { ChangeEndpointState } from './change-endpoint-state.usecase';
import { EndpointStateDocs } from './endpoint-state.docs';
import type { StateAction } from './state-transition';

const can = RequireScope('endpoints:write', { tenants: tenantInPath });

/** `POST …/endpoints/:id/pause|resume|disable|enable` `{ reason? }` → 200 with the endpoint; 409 for a move the state machine refuses. */
@Controller('v1/tenants/:tenantId/endpoints')
export class EndpointStateController {
  constructor(private readonly changeState: ChangeEndpointState) {}

  @Post(':id/pause')
  @ApiRoute(EndpointStateDocs.pause)
  @can
  @HttpCode(200)
  pause(@Param() params: unknown, @Body() body: unknown, @CurrentCaller() caller: Caller) {
    return this.apply('pause', params, body, caller);
  }

  @Post(':id/resume')
  @ApiRoute(EndpointStateDocs.resume)
  @can
  @HttpCode(200)
  resume(@Param() params: unknown, @Body() body: unknown, @CurrentCaller() caller: Caller) {
    return this.apply('resume', params, body, caller);
  }

  @Post(':id/disable')
  @ApiRoute(EndpointStateDocs.disable)
  @can
  @HttpCode(200)
  disable(@Param() params: unknown, @Body() body: unknown, @CurrentCaller() caller: Caller) {
    return this.apply('disable', params, body, caller);
  }

  @Post(':id/enable')
  @ApiRoute(EndpointStateDocs.enable)
  @can
  @HttpCode(200)
  enable(@Param() params: unknown, @Body() body: unknown, @CurrentCaller() caller: Caller) {
    return this.apply('enable', params, body, caller);
  }

  private async apply(action: StateAction, params: unknown, body: unknown, caller: Caller) {
    const { tenantId, id } = endpointParams(params);
    // No body at all is the same as `{}`: the reason is optional.
    const { reason } = parseRequest(StateChangeSchema, body ?? {});
    const { endpoint } = await this.changeState.execute(tenantId, id, { action, cause: 'operator', actor: caller.keyId, reason });
    return toEndpointView(endpoint);
  }
}
