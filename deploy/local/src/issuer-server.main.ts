// Entry point of the local stack's token issuer, run detached by deploy/local: publishes the
// discovery document and JWKS of the key in <key file> on 127.0.0.1:<port>.
import { loadOrCreateIssuerKey, startIssuerServer } from '@modelreg/auth';

async function main(): Promise<void> {
  const [port, keyFile] = process.argv.slice(2);
  if (!port || !keyFile) throw new Error('usage: issuer-server.main.ts <port> <key file>');
  const key = await loadOrCreateIssuerKey(keyFile);
  const server = await startIssuerServer({ keys: [key], port: Number(port) });
  console.log(`issuer ${server.issuer} serving ${server.jwksUrl}`);
  const stop = () => server.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
