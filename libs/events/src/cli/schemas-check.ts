import { DEFAULT_SCHEMAS_DIR, SchemaCatalog } from '../catalog/schema-catalog';
import { checkEnvelopeCopies } from '../compatibility/check-envelope-copies';
import { checkFullCompatibility } from '../compatibility/check-compatibility';

/** `npm run schemas:check [dir]`: fails when any event schema version breaks full compatibility. */
function main(schemasDir: string): number {
  const catalog = SchemaCatalog.load(schemasDir);
  const problems = [
    ...checkFullCompatibility(catalog).map((p) => `${p.eventName}: v${p.reader} cannot read data written by v${p.writer}: ${p.message}`),
    ...checkEnvelopeCopies(catalog, schemasDir),
  ];
  for (const eventName of catalog.eventNames()) {
    const versions = catalog.versions(eventName);
    const latest = catalog.latest(eventName);
    console.log(
      `${eventName}: ${versions.length} version(s), latest v${latest.version}, ` +
        `fingerprint ${BigInt.asUintN(64, latest.fingerprint).toString(16).padStart(16, '0')}`,
    );
  }
  for (const problem of problems) console.error(`INCOMPATIBLE ${problem}`);
  console.log(problems.length === 0 ? 'schemas: all fully compatible' : `schemas: ${problems.length} problem(s)`);
  return problems.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv[2] ?? DEFAULT_SCHEMAS_DIR);
