#!/usr/bin/env node
// Container entry point (deploy/container/Dockerfile). `entrypoint.js <service>` runs one compiled
// service; `entrypoint.js migrate` applies every service's schema migrations and exits, for a
// Kubernetes Job or init step before a rollout. Services also migrate at start, under the same
// advisory lock, so the Job only moves that work (and its failure) ahead of the new pods.
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');

/** Compiled code: beside this file in the image, at the repository root in a checkout. */
const dist = [path.join(__dirname, 'dist'), path.resolve(__dirname, '../../dist')].find((dir) => existsSync(dir));
/** Each service: its compiled entry, its schema constant and its migrations. */
const SERVICES = {
  ingestion: { constants: 'ingestion.constants.js', schema: 'INGESTION_SCHEMA' },
  'gate-validator': { constants: 'gate-validator.constants.js', schema: 'GATES_SCHEMA' },
  'deployment-tracker': { constants: 'deployment-tracker.constants.js', schema: 'DEPLOYMENTS_SCHEMA' },
  projections: { constants: 'projections.constants.js', schema: 'PROJECTIONS_SCHEMA' },
};

const serviceDir = (name) => path.join(dist, 'services', name, 'src');

async function migrateAll() {
  const { readDatabaseUrl } = require(path.join(dist, 'libs/config/src/index.js'));
  const { createPool } = require(path.join(dist, 'libs/postgres/src/index.js'));
  const { migrateServiceSchema } = require(path.join(dist, 'libs/service-runtime/src/index.js'));
  const pool = createPool({ connectionString: readDatabaseUrl(process.env), applicationName: 'modelreg-migrate', max: 1 });
  pool.on('error', () => undefined);
  try {
    for (const [name, service] of Object.entries(SERVICES)) {
      const schema = require(path.join(serviceDir(name), service.constants))[service.schema];
      const applied = await migrateServiceSchema(pool, schema, path.join(serviceDir(name), 'migrations'));
      console.log(
        JSON.stringify({
          level: 'info',
          msg: 'migrated',
          service: name,
          schema,
          applied: [...applied.runtime.map((v) => `runtime/${v}`), ...applied.service.map((v) => `service/${v}`)],
        }),
      );
    }
  } finally {
    await pool.end();
  }
}

const [command] = process.argv.slice(2);
if (!dist) {
  console.error('no compiled code: run `node tools/build.js` first (the image does this in its build stage)');
  process.exit(1);
} else if (command === 'migrate') {
  migrateAll().then(
    () => process.exit(0),
    (error) => {
      console.error(JSON.stringify({ level: 'error', msg: 'migration failed', error: error.message }));
      process.exit(1);
    },
  );
} else if (command && Object.hasOwn(SERVICES, command)) {
  require(path.join(serviceDir(command), 'main.js'));
} else {
  console.error(`usage: entrypoint.js <${[...Object.keys(SERVICES), 'migrate'].join('|')}>`);
  process.exit(2);
}
