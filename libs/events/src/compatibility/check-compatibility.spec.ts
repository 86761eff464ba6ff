import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_SCHEMAS_DIR, SchemaCatalog } from '../catalog/schema-catalog';
import { checkFullCompatibility } from './check-compatibility';
import { checkEnvelopeCopies } from './check-envelope-copies';

const REPO_ROOT = resolve(__dirname, '../../../..');

/** A copy of schemas/ with a v2 of RolledBack made by `change` from v1. */
function schemasWithRolledBackV2(change: (schema: { fields: Array<Record<string, unknown>> }) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'schemas-'));
  cpSync(DEFAULT_SCHEMAS_DIR, dir, { recursive: true });
  const v1 = JSON.parse(readFileSync(join(dir, 'deployments/RolledBack/v1.avsc'), 'utf8'));
  change(v1);
  writeFileSync(join(dir, 'deployments/RolledBack/v2.avsc'), JSON.stringify(v1, null, 2));
  return dir;
}

function runSchemasCheck(dir: string): { status: number; output: string } {
  try {
    const output = execFileSync('node', ['tools/run.js', 'libs/events/src/cli/schemas-check.ts', dir], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return { status: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { status: failed.status, output: failed.stdout + failed.stderr };
  }
}

describe('schema compatibility', () => {
  it('holds for the schemas in the repository', () => {
    const catalog = SchemaCatalog.load();
    expect(checkFullCompatibility(catalog)).toEqual([]);
    expect(checkEnvelopeCopies(catalog, DEFAULT_SCHEMAS_DIR)).toEqual([]);
  });

  it('accepts a new optional field with a default', () => {
    const dir = schemasWithRolledBackV2((schema) => schema.fields.push({ name: 'ticket', type: ['null', 'string'], default: null }));
    expect(checkFullCompatibility(SchemaCatalog.load(dir))).toEqual([]);
  });

  it('rejects removing a field that has no default (old readers need it)', () => {
    const dir = schemasWithRolledBackV2((schema) => {
      schema.fields = schema.fields.filter((field) => field['name'] !== 'reason');
    });
    const problems = checkFullCompatibility(SchemaCatalog.load(dir));
    expect(problems).toEqual([expect.objectContaining({ eventName: 'RolledBack', reader: 1, writer: 2 })]);
    expect(problems[0]?.message).toMatch(/reason/);
  });

  it('rejects a new field without a default (new readers cannot read old data)', () => {
    const dir = schemasWithRolledBackV2((schema) => schema.fields.push({ name: 'ticket', type: 'string' }));
    expect(checkFullCompatibility(SchemaCatalog.load(dir))).toEqual([expect.objectContaining({ reader: 2, writer: 1 })]);
  });

  it('flags an event whose embedded envelope drifted from the common one', () => {
    const dir = schemasWithRolledBackV2((schema) => {
      const envelope = schema.fields[0] as { type: { fields: Array<Record<string, unknown>> } };
      envelope.type.fields.push({ name: 'tenant', type: ['null', 'string'], default: null });
    });
    expect(checkEnvelopeCopies(SchemaCatalog.load(dir), dir)).toEqual([
      expect.stringMatching(/RolledBack\/v2\.avsc: its envelope differs/),
    ]);
  });

  it('npm run schemas:check passes on the repository and fails on a field removed without a default', () => {
    expect(runSchemasCheck(DEFAULT_SCHEMAS_DIR)).toEqual({ status: 0, output: expect.stringContaining('all fully compatible') });
    const broken = schemasWithRolledBackV2((schema) => {
      schema.fields = schema.fields.filter((field) => field['name'] !== 'reason');
    });
    const result = runSchemasCheck(broken);
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/INCOMPATIBLE RolledBack: v1 cannot read data written by v2/);
  });
});
