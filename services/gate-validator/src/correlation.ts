import { randomUUID } from 'node:crypto';

/** The caller's x-correlation-id when it is a sane token, else a new id. */
export function correlationIdFrom(header: string | undefined): string {
  return header && /^[\w.:-]{1,128}$/.test(header) ? header : randomUUID();
}
