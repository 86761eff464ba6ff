import { createServer, type Server } from 'node:http';
import type { JWK } from 'jose';
import { publicJwkOf } from './issuer-key';

/** A running local issuer: its `iss` value and where its keys are published. */
export interface IssuerServer {
  issuer: string;
  jwksUrl: string;
  close(): Promise<void>;
}

/**
 * A minimal OpenID provider for development and tests: it publishes the discovery document and the
 * JWKS of `keys` over HTTP, the way a real IdP does, and nothing else (tokens are minted offline
 * with mintToken). Port 0 picks a free port.
 */
export async function startIssuerServer(options: { keys: JWK[]; port: number; host?: string }): Promise<IssuerServer> {
  const host = options.host ?? '127.0.0.1';
  let issuer = '';
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const body =
      path === '/.well-known/openid-configuration'
        ? {
            issuer,
            jwks_uri: `${issuer}/jwks.json`,
            id_token_signing_alg_values_supported: ['ES256'],
            response_types_supported: ['token'],
            subject_types_supported: ['public'],
          }
        : path === '/jwks.json'
          ? { keys: options.keys.map(publicJwkOf) }
          : null;
    response.writeHead(body ? 200 : 404, { 'content-type': 'application/json', 'cache-control': 'max-age=60' });
    response.end(JSON.stringify(body ?? { error: 'not_found' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, resolve);
  });
  const address = server.address();
  issuer = `http://${host}:${typeof address === 'object' && address ? address.port : options.port}`;
  return { issuer, jwksUrl: `${issuer}/jwks.json`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
