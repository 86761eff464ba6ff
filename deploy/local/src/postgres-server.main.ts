// A private Postgres for tests that stop and start it, run by libs/testing as a script (so the test
// library does not depend on the stack's code). Arguments: start <port> <name> | stop <name> [fast|immediate].
// `start` prints {"url", "dataDir"} as JSON.
import { postgresUrl, startPostgres, stopPostgres } from './postgres-server';

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'start' && args.length === 2) {
    const port = Number(args[0]);
    const { dataDir } = await startPostgres(port, () => undefined, args[1]);
    process.stdout.write(`${JSON.stringify({ url: postgresUrl(port), dataDir })}\n`);
  } else if (command === 'stop' && (args.length === 1 || (args.length === 2 && (args[1] === 'fast' || args[1] === 'immediate')))) {
    stopPostgres(args[0], args[1] as 'fast' | 'immediate' | undefined);
  } else {
    throw new Error('usage: postgres-server.main.ts start <port> <name> | stop <name> [fast|immediate]');
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
