import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiExtension } from '@nestjs/swagger';
import type { Role } from './roles';

/** Where in a request a scoped rule finds the name it checks against the caller's patterns. */
export interface RequestField {
  in: 'body' | 'params' | 'query';
  name: string;
}

export const fromBody = (name: string): RequestField => ({ in: 'body', name });
export const fromParams = (name: string): RequestField => ({ in: 'params', name });

/** The narrowing of a role to names: a trainer's model patterns, a controller's placement patterns. */
export interface AccessScope {
  model?: RequestField;
  placement?: { service: RequestField; environment: RequestField };
}

/**
 * What a route requires. Every route declares one (`@Requires` or `@Public`); the global guard
 * refuses a route that declares none, so a forgotten declaration fails closed.
 */
export type AccessRule = { kind: 'public'; why: string } | ({ kind: 'roles'; anyOf: Role[] } & AccessScope);

export const ACCESS_RULE = 'modelreg:access-rule';

/**
 * Each operation of the OpenAPI document carries its rule under this key, so clients (and the
 * access-control test, which checks every route of the running services against every role) read
 * the route table from /docs/openapi.json.
 */
export const ACCESS_RULE_EXTENSION = 'x-modelreg-access';

const declare = (rule: AccessRule) => applyDecorators(SetMetadata(ACCESS_RULE, rule), ApiExtension(ACCESS_RULE_EXTENSION, rule));

/**
 * The route (or every route of the controller) needs a token holding one of `roles`; `scope` narrows
 * a trainer to its model patterns and a controller to its placement patterns, read from the request.
 */
export const Requires = (roles: Role | Role[], scope: AccessScope = {}) =>
  applyDecorators(declare({ kind: 'roles', anyOf: Array.isArray(roles) ? roles : [roles], ...scope }), ApiBearerAuth());

/** The route answers without a token (probes, static assets without data); `why` says why it is safe. */
export const Public = (why: string) => declare({ kind: 'public', why });

/** A state-changing route that takes a body other than JSON (e.g. the artifact upload's bytes). */
export const BODY_TYPE = 'modelreg:body-type';
export const AcceptsBody = (mediaType: string) => applyDecorators(SetMetadata(BODY_TYPE, mediaType), ApiConsumes(mediaType));
