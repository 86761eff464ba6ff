import { z } from 'zod';

/** An instant as every answer carries it: ISO 8601 in UTC, e.g. 2024-01-10T00:00:00.000Z. */
export const IsoTime = z.iso.datetime({ offset: true }).describe('ISO 8601 date-time, UTC as the registry writes it');

/** A stored instant (UTC milliseconds, as the events carry it) in the form every answer gives it (`IsoTime`). */
export function isoTime<T extends number | null>(millis: T): T extends number ? string : string | null {
  return (millis === null ? null : new Date(millis).toISOString()) as T extends number ? string : string | null;
}
