export { ROLES, isRole } from './roles';
export type { Role } from './roles';
export { matchesPattern, matchesPlacementPattern } from './glob-pattern';
export { callerFromClaims } from './caller';
export type { Caller } from './caller';
/**
 * Route declarations: `@Requires('trainer', { model: fromBody('modelName') })`, `@Public('why')`,
 * `@AcceptsBody('application/octet-stream')`.
 */
export { Requires, Public, AcceptsBody, fromBody, fromParams, ACCESS_RULE, ACCESS_RULE_EXTENSION, BODY_TYPE } from './access-rule';
export type { AccessRule, AccessScope, RequestField } from './access-rule';
export { authorize } from './authorize';
export type { AccessDecision, RequestParts } from './authorize';
export { authenticate } from './authenticate';
export type { AuthenticatedRequest } from './authenticate';
export { TokenVerifier, AuthenticationError, IdentityProviderUnavailableError } from './token-verifier';
/** The global guards (installed by HttpSecurityModule, which bootstrapService adds to every service). */
export { AccessGuard } from './access.guard';
export { BodyTypeGuard } from './body-type.guard';
export { PrincipalThrottlerGuard } from './principal-throttler.guard';
export { HttpSecurityModule } from './http-security.module';
export { hostAndOriginCheck, refuseHostOrOrigin, hostName } from './request-hardening';
export { metricsAccess } from './metrics-access';
export { generateIssuerKey, loadOrCreateIssuerKey, publicJwkOf, LOCAL_ISSUER_ALGORITHM } from './local-issuer/issuer-key';
export { startIssuerServer } from './local-issuer/issuer-server';
export type { IssuerServer } from './local-issuer/issuer-server';
export { mintToken } from './local-issuer/mint-token';
export type { MintOptions, TokenGrant } from './local-issuer/mint-token';
export { DEV_GRANTS, DEV_TOKEN_LIFETIME_SECONDS, LOCAL_AUDIENCE, mintDevTokens } from './local-issuer/dev-tokens';
export type { DevTokenName } from './local-issuer/dev-tokens';
