import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ACCESS_RULE, BODY_TYPE, type AccessRule } from './access-rule';

/** One route of a controller as the access guard sees it. */
export interface RouteAccess {
  controller: string;
  handler: string;
  method: string;
  /** `/v1/models/:modelName/versions/:version` */
  path: string;
  /** undefined: the route declares nothing, so the guard refuses it to everyone. */
  rule: AccessRule | undefined;
  /** The body type a state-changing route takes (application/json unless declared). */
  bodyType: string;
}

/** The route table of some controllers, read from the same metadata the guard reads. */
export function routeTable(controllers: readonly Type<unknown>[]): RouteAccess[] {
  return controllers.flatMap((controller) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const prototype = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(prototype).flatMap((name) => {
      const handler = prototype[name];
      if (name === 'constructor' || typeof handler !== 'function' || !Reflect.hasMetadata(METHOD_METADATA, handler)) return [];
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod] as string;
      const rule = (Reflect.getMetadata(ACCESS_RULE, handler) ?? Reflect.getMetadata(ACCESS_RULE, controller)) as AccessRule | undefined;
      const bodyType = (Reflect.getMetadata(BODY_TYPE, handler) ?? 'application/json') as string;
      return [{ controller: controller.name, handler: name, method, path: joinPath(base, String(Reflect.getMetadata(PATH_METADATA, handler) ?? '')), rule, bodyType }];
    });
  });
}

function joinPath(base: string, path: string): string {
  return `/${[base, path].map((part) => part.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
}
