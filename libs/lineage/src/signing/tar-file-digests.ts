import { createHash, type Hash } from 'node:crypto';

const BLOCK = 512;

export class NotATarError extends Error {
  readonly retriable = false;
}

type Entry = { kind: 'file'; path: string; hash: Hash } | { kind: 'skip' } | { kind: 'long-name' | 'pax'; chunks: Buffer[] };

/**
 * Reads a tar stream (ustar, GNU long names, pax `path`) chunk by chunk and hashes every regular
 * file with sha256, never holding more than one block of it: the digests a model-signing
 * directory manifest lists. Directories are skipped; links and devices make it not a model
 * directory (NotATarError), as model-signing refuses them by default.
 */
export class TarFileDigests {
  private readonly files = new Map<string, string>();
  private pending = Buffer.alloc(0);
  private entry: Entry | null = null;
  private remaining = 0;
  private padding = 0;
  private nextPath: string | null = null;
  private ended = false;

  push(chunk: Buffer): void {
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    while (data.length > 0 && !this.ended) {
      if (this.entry) data = this.consumeBody(data);
      else if (this.padding > 0) {
        const skip = Math.min(this.padding, data.length);
        this.padding -= skip;
        data = data.subarray(skip);
      } else if (data.length < BLOCK) {
        this.pending = Buffer.from(data);
        return;
      } else {
        this.readHeader(data.subarray(0, BLOCK));
        data = data.subarray(BLOCK);
      }
    }
  }

  /** The files by path relative to the archive's root (a leading `./` removed). */
  finish(): Map<string, string> {
    if (this.entry || this.pending.length > 0) throw new NotATarError('the tar ends inside an entry');
    return this.files;
  }

  private consumeBody(data: Buffer): Buffer {
    const entry = this.entry as Entry;
    const take = Math.min(this.remaining, data.length);
    const body = data.subarray(0, take);
    if (entry.kind === 'file') entry.hash.update(body);
    else if (entry.kind !== 'skip') entry.chunks.push(Buffer.from(body));
    this.remaining -= take;
    if (this.remaining === 0) this.endEntry(entry);
    return data.subarray(take);
  }

  private readHeader(header: Buffer): void {
    if (header.every((byte) => byte === 0)) {
      this.ended = true;
      return;
    }
    const checksum = readOctal(header.subarray(148, 156));
    let sum = 0;
    for (let index = 0; index < BLOCK; index += 1) sum += index >= 148 && index < 156 ? 32 : (header[index] as number);
    if (checksum !== sum) throw new NotATarError('a tar header checksum does not match');
    const type = String.fromCharCode(header[156] as number);
    const size = readSize(header.subarray(124, 136));
    const path = this.nextPath ?? headerPath(header);
    this.nextPath = null;
    if (type === '0' || type === '\0' || type === '7') this.entry = { kind: 'file', path: normalize(path), hash: createHash('sha256') };
    else if (type === 'L') this.entry = { kind: 'long-name', chunks: [] };
    else if (type === 'x') this.entry = { kind: 'pax', chunks: [] };
    else if (type === '5' || type === 'g') this.entry = { kind: 'skip' };
    else throw new NotATarError(`${normalize(path)} is not a regular file or directory (tar type ${JSON.stringify(type)})`);
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (size === 0) this.endEntry(this.entry);
  }

  private endEntry(entry: Entry): void {
    this.entry = null;
    if (entry.kind === 'file') {
      if (entry.path !== '') this.files.set(entry.path, entry.hash.digest('hex'));
    } else if (entry.kind === 'long-name') this.nextPath = Buffer.concat(entry.chunks).toString('utf8').replace(/\0+$/, '');
    else if (entry.kind === 'pax') this.nextPath = paxPath(Buffer.concat(entry.chunks)) ?? this.nextPath;
  }
}

function headerPath(header: Buffer): string {
  const name = cString(header.subarray(0, 100));
  const prefix = header.subarray(257, 262).toString('latin1') === 'ustar' ? cString(header.subarray(345, 500)) : '';
  return prefix ? `${prefix}/${name}` : name;
}

function paxPath(records: Buffer): string | null {
  let path: string | null = null;
  let offset = 0;
  while (offset < records.length) {
    const space = records.indexOf(0x20, offset);
    const length = Number(records.subarray(offset, space).toString('latin1'));
    if (space < 0 || !Number.isInteger(length) || length <= 0) break;
    const record = records.subarray(space + 1, offset + length - 1).toString('utf8');
    if (record.startsWith('path=')) path = record.slice('path='.length);
    offset += length;
  }
  return path;
}

function normalize(path: string): string {
  return path
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '')
    .replace(/^\.$/, '');
}

function cString(field: Buffer): string {
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}

function readOctal(field: Buffer): number {
  const text = cString(field).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

/** Sizes above 8 GiB use GNU's base-256 form (high bit of the first byte set). */
function readSize(field: Buffer): number {
  if (((field[0] as number) & 0x80) === 0) return readOctal(field);
  let size = (field[0] as number) & 0x7f;
  for (let index = 1; index < field.length; index += 1) size = size * 256 + (field[index] as number);
  return size;
}
