#!/usr/bin/env node
// Runs a TypeScript entry point of this repo without a build step: SWC compiles on load,
// keeps decorator metadata (Nest's dependency injection needs it) and resolves @modelreg/* paths.
'use strict';
const path = require('node:path');
const root = path.resolve(__dirname, '..');
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || path.join(root, 'tsconfig.base.json');
// The AWS SDK nags on Node 20 about releases after January 2027; the SDK version here is pinned.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED || 'true';
const [, , entry, ...rest] = process.argv;
if (!entry) {
  console.error('usage: node tools/run.js <file.ts> [args...]');
  process.exit(2);
}
require('@swc-node/register');
process.argv = [process.argv[0], path.resolve(entry), ...rest];
require(path.resolve(entry));
