import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiRoute, CurrentCaller, RequireScope, tenantInPath, tenantInQuery, type Caller } from '@hookline/service-kit';
import { TenantQuery } from '../deliveries/delivery.dto';
import { endpointParams, ListQuerySchema, TenantParam } from '../endpoints/endpoint.dto';
import { decodeCursor } from '../http/cursor';
import { parseRequest } from '../http/parse-request';
import { CancelRecoveryJob } from './cancel-recovery-job/cancel-recovery-job.usecase';
import { GetRecoveryJob } from './get-recovery-job/get-recovery-job.usecase';
import { ListRecoveryJobs } from './list-recovery-jobs/list-recovery-jobs.usecase';
import { RecoveryDocs } from './recovery.docs';
import { RecoverSchema, toRecoveryJobView } from './recovery.dto';
import { StartRecovery } from './start-recovery/start-recovery.usecase';

/** Starting a recovery belongs to the endpoint; a tenant key sees its own tenant's endpoints and jobs only. */
@Controller('v1/tenants/:tenantId')
export class RecoveryController {
  constructor(
    private readonly startRecovery: StartRecovery,
    private readonly listRecoveryJobs: ListRecoveryJobs,
  ) {}

  /** A dry run answers 200 `{ count }`; a real run 202 with the job. */
  @Post('endpoints/:id/recover')
  @ApiRoute(RecoveryDocs.recover)
  @RequireScope('deliveries:replay', { tenants: tenantInPath })
  async recover(
    @Param() params: unknown,
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) res: { status(code: number): unknown },
  ) {
    const { tenantId, id } = endpointParams(params);
    const result = await this.startRecovery.execute({ tenantId, endpointId: id, ...parseRequest(RecoverSchema, body), by: caller.keyId });
    if (result.dryRun) {
      res.status(200);
      return { count: result.count };
    }
    res.status(202);
    return toRecoveryJobView(result.job);
  }

  @Get('recovery-jobs')
  @ApiRoute(RecoveryDocs.list)
  @RequireScope('deliveries:read', { tenants: tenantInPath })
  async list(@Param() params: unknown, @Query() query: unknown) {
    const { tenantId } = parseRequest(TenantParam, params);
    const { limit, cursor } = parseRequest(ListQuerySchema.strict(), query);
    const { page, nextCursor } = await this.listRecoveryJobs.execute(tenantId, limit, decodeCursor(cursor));
    return { data: page.map(toRecoveryJobView), nextCursor };
  }
}

/** A recovery job by id. A global key may name the tenant (`?tenantId=`); a tenant key sees its own tenant's jobs only. */
@Controller('v1/recovery-jobs/:id')
export class RecoveryJobController {
  constructor(
    private readonly getRecoveryJob: GetRecoveryJob,
    private readonly cancelRecoveryJob: CancelRecoveryJob,
  ) {}

  @Get()
  @ApiRoute(RecoveryDocs.get)
  @RequireScope('deliveries:read', { tenants: tenantInQuery })
  async get(@Param('id') id: string, @Query() query: unknown, @CurrentCaller() caller: Caller) {
    return toRecoveryJobView(await this.getRecoveryJob.execute(id, caller.tenantId ?? parseRequest(TenantQuery, query).tenantId));
  }

  @Post('cancel')
  @ApiRoute(RecoveryDocs.cancel)
  @HttpCode(200)
  @RequireScope('deliveries:replay', { tenants: tenantInQuery })
  async cancel(@Param('id') id: string, @Query() query: unknown, @CurrentCaller() caller: Caller) {
    return toRecoveryJobView(await this.cancelRecoveryJob.execute(id, caller.tenantId ?? parseRequest(TenantQuery, query).tenantId));
  }
}
