import { Controller, HttpException, HttpStatus, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { PromotionAnswer, PromotionRequest, readPlacement } from '@modelreg/deployments';
import { FieldReader } from '@modelreg/validation';
import { ContractBody, ContractResponse, Origin, type RequestOrigin } from '@modelreg/service-runtime';
import { PromotionService } from './promotion.service';
import { fromBody, Requires } from '@modelreg/auth';

@ApiTags('promotions')
@Controller('v1/promotions')
export class PromotionsController {
  constructor(private readonly promotions: PromotionService) {}

  @Post()
  @Requires('controller', { placement: { service: fromBody('service'), environment: fromBody('environment') } })
  @ApiOperation({
    summary: 'Promote a version to a (new) service surface',
    description:
      "Appends ModelPromoted for the surface when the version's latest gate decision passed there " +
      '(its verdict on that surface where the decision compared with it, else its overall verdict). ' +
      'Versions that pass later are promoted automatically where they passed.',
  })
  @ContractResponse(201, PromotionAnswer, 'ModelPromoted appended.')
  @ApiResponse({ status: 404, description: 'The version is not registered.' })
  @ApiResponse({ status: 409, description: 'The version has no passed gate decision.' })
  @ApiResponse({ status: 422, description: 'Invalid: `errors` names each field at fault.' })
  async promote(@ContractBody(PromotionRequest) body: unknown, @Origin() origin: RequestOrigin) {
    const r = new FieldReader();
    const input = r.object(body, 'body') ?? {};
    const placement = readPlacement(r, input);
    const modelVersion = r.number(input['modelVersion'], 'modelVersion', { min: 1, max: 2_147_483_647, integer: true }) ?? 0;
    if (r.errors.length > 0) throw new HttpException({ error: 'validation_failed', errors: r.errors }, HttpStatus.UNPROCESSABLE_ENTITY);
    const promotion = await this.promotions.promote(placement, modelVersion, origin);
    if (promotion.outcome === 'unknown-version')
      throw new HttpException({ error: 'not_found', message: promotion.message }, HttpStatus.NOT_FOUND);
    if (promotion.outcome === 'not-passed')
      throw new HttpException({ error: 'not_eligible', field: 'modelVersion', message: promotion.message }, HttpStatus.CONFLICT);
    const { eventId } = promotion;
    return { status: 'promoted', eventId, ...placement, modelVersion };
  }
}
