import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A column value as COPY's text format carries it; null is SQL NULL. */
export type CopyValue = string | number | boolean | null;

const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One row in COPY's text format: tab-separated, `\N` for null, backslash escapes, newline-terminated. */
export function copyTextLine(values: readonly CopyValue[]): string {
  let line = '';
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index];
    if (index > 0) line += '\t';
    if (value === null || value === undefined) line += '\\N';
    else if (typeof value === 'string')
      line += NEEDS_ESCAPE.test(value) ? value.replace(/[\\\n\r\t]/g, (char) => ESCAPES[char] as string) : value;
    else line += String(value);
  }
  return `${line}\n`;
}

/** Rows per chunk written to the COPY stream: large enough to cost few writes, small enough to stay off the large-object heap. */
const LINES_PER_CHUNK = 256;

/**
 * Streams `rows` into `table` with `COPY ... FROM STDIN` on `client` (inside the caller's
 * transaction when there is one). Many times cheaper than bound array parameters for large
 * batches: no array literal to build and escape in Node, none to parse in Postgres.
 */
export async function copyRows(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly CopyValue[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const sink = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(chunks(rows)), sink);
}

function* chunks(rows: readonly (readonly CopyValue[])[]): Generator<string> {
  for (let start = 0; start < rows.length; start += LINES_PER_CHUNK) {
    let chunk = '';
    for (const row of rows.slice(start, start + LINES_PER_CHUNK)) chunk += copyTextLine(row);
    yield chunk;
  }
}
