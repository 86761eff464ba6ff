import { SignJWT, base64url, type JWK } from 'jose';
import { ACCESS_RULE_EXTENSION, generateIssuerKey, mintToken, publicJwkOf, ROLES, type AccessRule } from '@modelreg/auth';
import { topicNames } from '@modelreg/events';
import { exampleRunSubmissionJson } from '@modelreg/lineage';
import {
  bearer,
  startRegistry,
  startService,
  testIssuer,
  testKafka,
  type RunningService,
  type TestIssuer,
  type TestRegistry,
} from '@modelreg/testing';

type ServiceKey = 'ingestion' | 'gates' | 'tracker' | 'projections';

/** One operation of a service's OpenAPI document, with the access rule its route declares. */
interface RouteAccess {
  service: ServiceKey;
  method: string;
  /** `/v1/models/{modelName}/versions/{version}` */
  path: string;
  rule: AccessRule | undefined;
  bodyType: string;
}

/** The route table of a running service: every operation of /docs/openapi.json and its x-modelreg-access. */
async function routeTable(service: ServiceKey, url: string): Promise<RouteAccess[]> {
  type Operation = { [ACCESS_RULE_EXTENSION]?: AccessRule; requestBody?: { content?: Record<string, unknown> } };
  const document = (await (await fetch(`${url}/docs/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      service,
      method: method.toUpperCase(),
      path,
      rule: operation[ACCESS_RULE_EXTENSION],
      bodyType: Object.keys(operation.requestBody?.content ?? {})[0] ?? 'application/json',
    })),
  );
}

const SAMPLE_PARAMS: Record<string, string> = {
  modelName: 'fraud-model',
  version: '1',
  sha256: '0'.repeat(64),
  policyId: 'default',
  deploymentId: 'd1',
};
const concretePath = (path: string) => path.replace(/\{(\w+)\}/g, (_match, name: string) => SAMPLE_PARAMS[name] ?? 'x');

/** 401 without a token, 403 without a granted role, anything else (the route's own answer) with one. */
function expectedOutcome(route: RouteAccess, role: (typeof ROLES)[number] | 'none'): 'served' | 401 | 403 {
  if (route.rule?.kind === 'public') return 'served';
  if (role === 'none') return 401;
  return route.rule?.anyOf.includes(role) ? 'served' : 403;
}

describe('access control on the running registry', () => {
  let registry: TestRegistry;
  let issuer: TestIssuer;
  let urls: Record<ServiceKey, string>;

  let routes: RouteAccess[];

  beforeAll(async () => {
    registry = await startRegistry('access');
    issuer = await testIssuer();
    urls = {
      ingestion: registry.ingestion.url,
      gates: registry.gates.url,
      tracker: registry.tracker.url,
      projections: registry.projections.url,
    };
    routes = (await Promise.all(Object.entries(urls).map(([service, url]) => routeTable(service as ServiceKey, url)))).flat();
  });

  afterAll(() => registry?.stop());

  it('has a rule on every route of every service (a route without one is refused to everyone)', () => {
    expect(routes.length).toBeGreaterThan(25);
    expect(routes.filter((route) => route.rule === undefined).map((route) => `${route.service} ${route.method} ${route.path}`)).toEqual([]);
  });

  it('answers every route for every role as the route table says: 401 without a token, 403 without the role', async () => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const route of routes) {
      for (const role of [...ROLES, 'none' as const]) {
        const headers: Record<string, string> = role === 'none' ? {} : { authorization: `Bearer ${issuer.tokens[role]}` };
        const changing = !['GET', 'HEAD'].includes(route.method);
        if (changing) headers['content-type'] = route.bodyType;
        const response = await fetch(`${urls[route.service]}${concretePath(route.path)}`, {
          method: route.method,
          headers,
          body: changing ? (route.bodyType === 'application/json' ? '{}' : Buffer.from('x')) : undefined,
        });
        await response.arrayBuffer();
        const want = expectedOutcome(route, role);
        const name = `${route.service} ${route.method} ${route.path} as ${role}`;
        expected.push(`${name}: ${want}`);
        outcomes.push(`${name}: ${[401, 403].includes(response.status) ? response.status : 'served'}`);
      }
    }
    expect(outcomes).toEqual(expected);
  });

  describe('refusals change nothing', () => {
    const lineageEnd = async () => {
      const admin = testKafka('access-offsets').admin();
      await admin.connect();
      const offsets = await admin.fetchTopicOffsets(topicNames(registry.environment.env['TOPIC_PREFIX'] as string).lineage);
      await admin.disconnect();
      return offsets.map((partition) => partition.high).join(',');
    };
    const register = (authorization: string | undefined, modelName = 'fraud-model') =>
      fetch(`${urls.ingestion}/v1/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify(exampleRunSubmissionJson(modelName, `run-${modelName}`)),
      });

    async function hmacWithPublicKey(key: JWK): Promise<string> {
      // Key confusion: HS256 "signed" with the issuer's public key, which a naive verifier would use as the HMAC secret.
      const secret = new TextEncoder().encode(JSON.stringify(publicJwkOf(key)));
      return new SignJWT({ modelreg_roles: ['trainer'], modelreg_models: ['*'] })
        .setProtectedHeader({ alg: 'HS256', kid: key.kid })
        .setIssuer(issuer.server.issuer)
        .setAudience('modelreg')
        .setSubject('mallory')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(secret);
    }

    function unsigned(key: JWK): string {
      const part = (value: object) => base64url.encode(JSON.stringify(value));
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        iss: issuer.server.issuer,
        aud: 'modelreg',
        sub: 'mallory',
        exp: now + 3600,
        iat: now,
        modelreg_roles: ['trainer'],
        modelreg_models: ['*'],
      };
      return `${part({ alg: 'none', kid: key.kid })}.${part(claims)}.`;
    }

    const trainer = { subject: 'eve', roles: ['trainer'] as const, models: ['*'] };

    it.each([
      ['no token', async () => undefined, 'no bearer token'],
      ['a scheme other than Bearer', async () => 'Basic ZXZlOnB3', 'must be "Bearer <token>"'],
      [
        'an expired token',
        async () => `Bearer ${await issuer.mint(trainer, { nowMs: Date.now() - 2 * 3600_000, expiresInSeconds: 3600 })}`,
        'token expired',
      ],
      ['a token not yet valid', async () => `Bearer ${await issuer.mint(trainer, { notBeforeInSeconds: 3600 })}`, 'not yet valid'],
      ['alg none', async () => `Bearer ${unsigned(issuer.key)}`, 'token'],
      ['HS256 signed with the public key', async () => `Bearer ${await hmacWithPublicKey(issuer.key)}`, 'algorithm not allowed'],
      ['another audience', async () => `Bearer ${await issuer.mint(trainer, { audience: 'another-api' })}`, 'another audience'],
      ['another issuer', async () => `Bearer ${await issuer.mint(trainer, { issuer: 'https://evil.example' })}`, 'another issuer'],
      [
        'an unknown key id',
        async () => {
          const options = { issuer: issuer.server.issuer, audience: 'modelreg', expiresInSeconds: 3600 };
          return `Bearer ${await mintToken(await generateIssuerKey(), trainer, options)}`;
        },
        'key id',
      ],
      ['garbage', async () => 'Bearer not.a.jwt', 'malformed'],
    ])('401 for %s, with a challenge, and nothing appended', async (_case, authorization, message) => {
      const before = await lineageEnd();
      const response = await register(await authorization());
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="modelreg"/);
      expect(((await response.json()) as { message: string }).message).toContain(message);
      expect(await lineageEnd()).toBe(before);
    });

    it('403 for a reader registering, and for a trainer outside its model patterns; nothing appended or registered', async () => {
      const before = await lineageEnd();
      const asReader = await register(`Bearer ${issuer.tokens.reader}`);
      expect(asReader.status).toBe(403);
      expect(((await asReader.json()) as { message: string }).message).toBe("requires role trainer (the token's roles: reader)");
      const fraudOnly = await issuer.mint({ subject: 'tina', roles: ['trainer'], models: ['fraud-*'] });
      const outside = await register(`Bearer ${fraudOnly}`, 'churn-model');
      expect(outside.status).toBe(403);
      expect(((await outside.json()) as { message: string }).message).toBe(
        'model "churn-model" is outside the token\'s model patterns (fraud-*)',
      );
      expect(await lineageEnd()).toBe(before);
      expect(
        (
          (await fetch(`${urls.projections}/v1/models/churn-model/versions`, { headers: bearer('reader') }).then((r) => r.json())) as {
            total?: number;
          }
        ).total ?? 0,
      ).toBe(0);
    });

    it('415 for a text/plain or body-less POST without a JSON content type, 403 for a foreign Origin, 421 for a foreign Host', async () => {
      const post = (headers: Record<string, string>) =>
        fetch(`${urls.projections}/v1/replay`, {
          method: 'POST',
          headers: { ...bearer('auditor'), ...headers },
          body: headers['content-type'] ? '{}' : undefined,
        });
      expect((await post({ 'content-type': 'text/plain' })).status).toBe(415);
      expect((await post({})).status).toBe(415);
      expect((await post({ 'content-type': 'application/json', origin: 'https://evil.example' })).status).toBe(403);
      const { request } = await import('node:http');
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${urls.projections}/v1/models`, { headers: { ...bearer('reader'), host: 'attacker.example' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(421);
    });

    it('serves /metrics to the metrics role only, and security headers everywhere', async () => {
      expect((await fetch(`${urls.gates}/metrics`)).status).toBe(401);
      expect((await fetch(`${urls.gates}/metrics`, { headers: bearer('reader') })).status).toBe(403);
      const scrape = await fetch(`${urls.gates}/metrics`, { headers: bearer('metrics') });
      expect(scrape.status).toBe(200);
      expect(scrape.headers.get('x-content-type-options')).toBe('nosniff');
      expect(scrape.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  it('limits each caller to RATE_LIMIT_REQUESTS per window: 429 with Retry-After', async () => {
    let limited: RunningService | undefined;
    try {
      limited = await startService('ingestion', { ...registry.environment.env, RATE_LIMIT_REQUESTS: '3', RATE_LIMIT_WINDOW_SECONDS: '60' });
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 4; i += 1) {
        last = await fetch(`${limited.url}/v1/artifacts/${'0'.repeat(64)}`, { headers: bearer('reader') });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([404, 404, 404, 429]);
      expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another caller has its own budget.
      expect((await fetch(`${limited.url}/v1/artifacts/${'0'.repeat(64)}`, { headers: bearer('trainer') })).status).toBe(404);
    } finally {
      await limited?.stop();
    }
  });
});
