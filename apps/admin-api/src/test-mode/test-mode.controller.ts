import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiRoute, RequireScope, tenantInPath } from '@hookline/service-kit';
import { endpointParams } from '../endpoints/endpoint.dto';
import { parseRequest } from '../http/parse-request';
import { PreviewDelivery } from './preview-delivery/preview-delivery.usecase';
import { SampleData } from './sample-data';
import { SendTestDelivery } from './send-test-delivery/send-test-delivery.usecase';
import { PreviewSchema, TestSendSchema, toPreviewView, toTestAttemptView } from './test-mode.dto';
import { TestModeDocs } from './test-mode.docs';

/**
 * Test mode. Both routes take `endpoints:write`: a preview hands out valid
 * signatures for any body and timestamp the caller picks, which is as good as
 * the secret to whoever holds it, and reading the secret takes that scope.
 */
@Controller('v1/tenants/:tenantId/endpoints/:id')
export class TestModeController {
  constructor(
    private readonly previewDelivery: PreviewDelivery,
    private readonly sendTestDelivery: SendTestDelivery,
    private readonly sampleData: SampleData,
  ) {}

  @Post('preview')
  @ApiRoute(TestModeDocs.preview)
  @RequireScope('endpoints:write', { tenants: tenantInPath })
  @HttpCode(200)
  async preview(@Param() params: unknown, @Body() body: unknown) {
    const { tenantId, id } = endpointParams(params);
    const request = parseRequest(PreviewSchema, body);
    const data = await this.sampleData.of(tenantId, request.type, request.data);
    return toPreviewView(await this.previewDelivery.execute(tenantId, id, { ...request, data }));
  }

  @Post('test')
  @ApiRoute(TestModeDocs.test)
  @RequireScope('endpoints:write', { tenants: tenantInPath })
  @HttpCode(200)
  async test(@Param() params: unknown, @Body() body: unknown) {
    const { tenantId, id } = endpointParams(params);
    const { type, data } = parseRequest(TestSendSchema, body);
    return toTestAttemptView(await this.sendTestDelivery.execute(tenantId, id, { type, data: await this.sampleData.of(tenantId, type, data) }));
  }
}
