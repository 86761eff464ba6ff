import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Type } from 'avsc';
import { toParsingCanonicalForm, type AvroSchemaJson } from '../fingerprint/canonical-form';
import { schemaFingerprint } from '../fingerprint/rabin-fingerprint';

/** The repository's schemas/ folder: `<context>/<EventName>/v<N>.avsc`, one file per event version. */
export const DEFAULT_SCHEMAS_DIR = resolve(__dirname, '../../../../schemas');

export interface EventSchemaVersion {
  eventName: string;
  context: string;
  version: number;
  file: string;
  json: AvroSchemaJson;
  canonicalForm: string;
  /** Signed CRC-64-AVRO of the canonical form. */
  fingerprint: bigint;
  type: Type;
}

export class SchemaCatalogError extends Error {
  readonly retriable = false;
}

/** Every version of every event schema, addressable by event name and by fingerprint. */
export class SchemaCatalog {
  private readonly byName = new Map<string, EventSchemaVersion[]>();
  private readonly byPrint = new Map<bigint, EventSchemaVersion>();

  constructor(versions: EventSchemaVersion[]) {
    for (const version of versions) {
      const existing = this.byPrint.get(version.fingerprint);
      if (existing) throw new SchemaCatalogError(`${version.file} has the same canonical form as ${existing.file}`);
      this.byPrint.set(version.fingerprint, version);
      const list = this.byName.get(version.eventName) ?? [];
      list.push(version);
      this.byName.set(version.eventName, list);
    }
    for (const list of this.byName.values()) list.sort((a, b) => a.version - b.version);
  }

  static load(schemasDir: string = DEFAULT_SCHEMAS_DIR): SchemaCatalog {
    return new SchemaCatalog(readSchemaDirectory(schemasDir));
  }

  eventNames(): string[] {
    return [...this.byName.keys()].sort();
  }

  versions(eventName: string): readonly EventSchemaVersion[] {
    const list = this.byName.get(eventName);
    if (!list) throw new SchemaCatalogError(`no schema for event ${eventName}`);
    return list;
  }

  latest(eventName: string): EventSchemaVersion {
    const list = this.versions(eventName);
    return list[list.length - 1] as EventSchemaVersion;
  }

  byFingerprint(fingerprint: bigint): EventSchemaVersion | undefined {
    return this.byPrint.get(fingerprint);
  }
}

export function readSchemaDirectory(schemasDir: string): EventSchemaVersion[] {
  const versions: EventSchemaVersion[] = [];
  for (const context of subdirectories(schemasDir)) {
    for (const eventName of subdirectories(join(schemasDir, context))) {
      const eventDir = join(schemasDir, context, eventName);
      for (const file of readdirSync(eventDir).filter((name) => name.endsWith('.avsc'))) {
        const match = /^v(\d+)\.avsc$/.exec(file);
        if (!match) throw new SchemaCatalogError(`${join(eventDir, file)}: schema files are named v<N>.avsc`);
        versions.push(compileSchema(join(eventDir, file), context, eventName, Number(match[1])));
      }
    }
  }
  return versions;
}

export function compileSchema(file: string, context: string, eventName: string, version: number): EventSchemaVersion {
  const json = JSON.parse(readFileSync(file, 'utf8')) as AvroSchemaJson;
  const type = Type.forSchema(json as never, { wrapUnions: 'auto' });
  if (type.name !== `dev.modelreg.${context}.${eventName}`) {
    throw new SchemaCatalogError(`${file}: record must be named dev.modelreg.${context}.${eventName}, found ${String(type.name)}`);
  }
  const canonicalForm = toParsingCanonicalForm(json);
  return { eventName, context, version, file, json, canonicalForm, fingerprint: schemaFingerprint(canonicalForm), type };
}

function subdirectories(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}
