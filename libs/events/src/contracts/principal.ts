/**
 * Who asked: the authenticated caller of the request that caused an event, as its identity
 * provider named it. Events caused by other events carry the principal of the originating request.
 */
export interface EventPrincipal {
  /** The token's `sub`. */
  subject: string;
  /** The token's `iss`. */
  issuer: string;
  /** The registry roles the request was authorized with (trainer, controller, policy-admin, auditor, reader). */
  roles: string[];
}
