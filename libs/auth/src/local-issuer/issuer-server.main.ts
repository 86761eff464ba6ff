// A local token issuer as its own process: publishes the discovery document and JWKS of the key in
// <key file> on 127.0.0.1:<port> (0: a free port), and prints `issuer <url>` once listening.
// Run detached by the local stack, and by the tests with --exit-with-parent (it ends when its
// parent's pipe closes), so a test that blocks its own event loop (spawnSync) never blocks it.
import { loadOrCreateIssuerKey } from './issuer-key';
import { startIssuerServer } from './issuer-server';

async function main(): Promise<void> {
  const [port, keyFile, flag] = process.argv.slice(2);
  if (!port || !keyFile) throw new Error('usage: issuer-server.main.ts <port> <key file> [--exit-with-parent]');
  const key = await loadOrCreateIssuerKey(keyFile);
  const server = await startIssuerServer({ keys: [key], port: Number(port) });
  console.log(`issuer ${server.issuer}`);
  const stop = () => server.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (flag === '--exit-with-parent') {
    process.stdin.on('end', stop);
    process.stdin.resume();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
