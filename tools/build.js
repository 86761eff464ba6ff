#!/usr/bin/env node
// Compiles the services, libraries, local stack and CLI to plain CommonJS in dist/ with SWC
// (decorator metadata kept, @modelreg/* imports rewritten to relative paths), and copies what
// they read at run time: schemas and SQL migrations. Compiled services do not load a compiler,
// which saves ~70 MiB of resident memory per process.
//
// Safe to run while services run from dist/ and while another build runs (the fault and cluster
// suites each build when they start, maybe at once): a file is rewritten only when its content
// changes, through a temporary file and a rename, so a reader never sees it missing or half
// written; files no source produces any more are removed at the end.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'dist');
const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
const SOURCE_DIRS = ['libs', 'services', 'deploy/local', 'tools/cli'];
const ASSETS = /\.(sql|avsc|html|css)$|\/dashboard\/[^/]+\.js$/;
const SKIP = /(\.spec\.ts|\.d\.ts)$|node_modules|__fixtures__/;

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') yield* walk(full);
    } else yield full;
  }
}

function compile(file) {
  const relative = path.relative(root, file);
  const target = path.join(out, relative.replace(/\.ts$/, '.js'));
  const { code } = swc.transformFileSync(file, {
    filename: file,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      baseUrl: root,
      paths: compilerOptions.paths,
    },
    module: { type: 'commonjs' },
  });
  write(target, Buffer.from(code));
}

function copy(file) {
  write(path.join(out, path.relative(root, file)), fs.readFileSync(file));
}

/** Another build's file on its way in: `<name>.<pid>.tmp`. */
const IN_FLIGHT = /\.\d+\.tmp$/;
const produced = new Set();

function write(target, content) {
  produced.add(target);
  let current = null;
  try {
    current = fs.readFileSync(target);
  } catch {
    // not there yet
  }
  if (current && current.equals(content)) return;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, target);
}

const started = Date.now();
let compiled = 0;
for (const dir of SOURCE_DIRS) {
  for (const file of walk(path.join(root, dir))) {
    if (SKIP.test(file)) continue;
    if (file.endsWith('.ts') && !file.endsWith('.d.ts')) {
      compile(file);
      compiled += 1;
    } else if (ASSETS.test(file)) copy(file);
  }
}
for (const file of walk(path.join(root, 'schemas'))) if (ASSETS.test(file)) copy(file);
if (fs.existsSync(out)) for (const file of walk(out)) if (!produced.has(file) && !IN_FLIGHT.test(file)) fs.rmSync(file, { force: true });
console.log(`[build] ${compiled} files compiled to dist/ in ${Date.now() - started} ms`);
