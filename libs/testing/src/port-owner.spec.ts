import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { listensOn } from './port-owner';

function listen(host: string): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}

describe('listensOn (who holds a listening port, from /proc)', () => {
  let own: { server: Server; port: number };

  beforeAll(async () => {
    own = await listen('127.0.0.1');
  });

  afterAll(async () => {
    await new Promise((resolve) => own.server.close(resolve));
  });

  it('names the process that listens on the port', () => {
    expect(listensOn(process.pid, own.port)).toBe(true);
  });

  it('denies it to another process, and finds nobody on a closed port', async () => {
    const stranger = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      expect(listensOn(stranger.pid as number, own.port)).toBe(false);
    } finally {
      stranger.kill('SIGKILL');
    }
    const closed = await listen('127.0.0.1');
    await new Promise((resolve) => closed.server.close(resolve));
    expect(listensOn(process.pid, closed.port)).toBe(false);
  });

  it('cannot tell for a process that is gone', async () => {
    const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => gone.once('exit', resolve));
    expect(listensOn(gone.pid as number, own.port)).toBeUndefined();
  });
});
