import type { EventSchemaVersion, SchemaCatalog } from '../catalog/schema-catalog';

export interface CompatibilityProblem {
  eventName: string;
  reader: number;
  writer: number;
  message: string;
}

/**
 * Full compatibility: every version of an event can read data written by every other version
 * (backward and forward), as avsc's schema resolution decides. A breaking change needs a new event name.
 */
export function checkFullCompatibility(catalog: SchemaCatalog): CompatibilityProblem[] {
  const problems: CompatibilityProblem[] = [];
  for (const eventName of catalog.eventNames()) {
    const versions = catalog.versions(eventName);
    for (const reader of versions) {
      for (const writer of versions) {
        if (reader === writer) continue;
        const message = resolutionError(reader, writer);
        if (message) problems.push({ eventName, reader: reader.version, writer: writer.version, message });
      }
    }
  }
  return problems;
}

function resolutionError(reader: EventSchemaVersion, writer: EventSchemaVersion): string | null {
  try {
    reader.type.createResolver(writer.type);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
