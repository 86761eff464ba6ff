// Entry point of the local S3-compatible server (s3rver), run detached by deploy/local.
// Arguments: <port> <directory> <bucket>.
import { runLocalS3 } from './s3-server';

async function main(): Promise<void> {
  const [port, directory, bucket] = process.argv.slice(2);
  if (!port || !directory || !bucket) throw new Error('usage: s3-server.main.ts <port> <directory> <bucket>');
  const server = await runLocalS3({ port: Number(port), directory, buckets: [bucket] });
  const stop = () => server.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
