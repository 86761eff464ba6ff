#!/usr/bin/env node
// The modelreg command line: register runs, fingerprint this machine, diff versions, replay projections.
'use strict';
const path = require('node:path');
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || path.join(__dirname, '../../tsconfig.base.json');
require('@swc-node/register');
require('./src/main.ts');
