import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { HttpSecuritySettings } from '@modelreg/config';
import { AccessGuard } from './access.guard';
import { HTTP_SECURITY_SETTINGS } from './auth.constants';
import { BodyTypeGuard } from './body-type.guard';
import { PrincipalThrottlerGuard } from './principal-throttler.guard';
import { TokenVerifier } from './token-verifier';
import { WindowCounterStorage } from './window-counter-storage';

/**
 * The global guards of a service, in the order they run: who is calling and may they (401/403),
 * is the body of the declared type (415), is the caller within its rate (429).
 */
@Module({})
export class HttpSecurityModule {
  static forRoot(settings: HttpSecuritySettings, verifier: TokenVerifier): DynamicModule {
    return {
      module: HttpSecurityModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', ttl: settings.rateLimit.windowSeconds * 1000, limit: settings.rateLimit.requests }],
          storage: new WindowCounterStorage(),
        }),
      ],
      providers: [
        { provide: HTTP_SECURITY_SETTINGS, useValue: settings },
        { provide: TokenVerifier, useValue: verifier },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_GUARD, useClass: BodyTypeGuard },
        { provide: APP_GUARD, useClass: PrincipalThrottlerGuard },
      ],
    };
  }
}
