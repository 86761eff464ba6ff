import { createServer, type Server } from 'node:http';
import { listensOn } from './port-owner';
import { startService, type RunningService } from './service-process';
import { createTestEnvironment, type TestEnvironment } from './test-environment';

/**
 * Another process can bind the port freePort() handed out before the service does. A CI run once
 * tested against another suite's projections service that way (401s for 30 s: it trusted another
 * issuer). startService must notice and start the service on another port.
 */
describe('startService on a port another process took', () => {
  let environment: TestEnvironment;
  let stranger: Server;
  let strangerPort: number;
  let service: RunningService | undefined;

  beforeAll(async () => {
    environment = await createTestEnvironment('port-taken');
    // A stranger that answers every readiness probe, as a running service of another suite would.
    stranger = createServer((_request, response) => response.writeHead(200).end('{"status":"ok"}'));
    await new Promise<void>((resolve) => stranger.listen(0, '127.0.0.1', resolve));
    const address = stranger.address();
    strangerPort = typeof address === 'object' && address ? address.port : 0;
  });

  afterAll(async () => {
    await service?.stop();
    await new Promise((resolve) => stranger.close(resolve));
    await environment?.dispose();
  });

  it('starts the service on another port, and answers its own URL', async () => {
    service = await startService('projections', environment.env, { port: strangerPort });
    const port = Number(new URL(service.url).port);
    expect(port).not.toBe(strangerPort);
    expect(listensOn(service.process.pid as number, port)).toBe(true);
  });
});
