// npm run stack:up | stack:down | stack:status: the local Kafka, Postgres and S3.
import { stackDown, stackStatus, stackUp } from './src';

const print = (line: string) => console.log(`[stack] ${line}`);

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case 'up':
      await stackUp(process.env, print);
      return 0;
    case 'down':
      await stackDown(print);
      return 0;
    case 'status':
      return (await stackStatus(print)) ? 0 : 1;
    default:
      console.error('usage: stack.ts up|down|status');
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[stack] ${(error as Error).message}`);
    process.exit(1);
  },
);
