import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toParsingCanonicalForm, type AvroSchemaJson } from '../fingerprint/canonical-form';
import type { SchemaCatalog } from '../catalog/schema-catalog';

/**
 * Each event schema embeds the envelope so its file stands alone. The latest version of every
 * event must embed the current envelope exactly; returns one message per event that drifted.
 */
export function checkEnvelopeCopies(catalog: SchemaCatalog, schemasDir: string): string[] {
  const envelope = JSON.parse(readFileSync(join(schemasDir, 'common', 'EventEnvelope.avsc'), 'utf8')) as AvroSchemaJson;
  const expected = toParsingCanonicalForm(envelope);
  const problems: string[] = [];
  for (const eventName of catalog.eventNames()) {
    const latest = catalog.latest(eventName);
    const fields = (latest.json as { fields?: Array<{ name: string; type: AvroSchemaJson }> }).fields ?? [];
    const first = fields[0];
    if (!first || first.name !== 'envelope') {
      problems.push(`${latest.file}: the first field must be "envelope"`);
    } else if (toParsingCanonicalForm(first.type) !== expected) {
      problems.push(`${latest.file}: its envelope differs from schemas/common/EventEnvelope.avsc`);
    }
  }
  return problems;
}
