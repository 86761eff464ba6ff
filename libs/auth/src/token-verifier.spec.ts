import type { JWK } from 'jose';
import type { AuthSettings } from '@modelreg/config';
import { generateIssuerKey } from './local-issuer/issuer-key';
import { startIssuerServer, type IssuerServer } from './local-issuer/issuer-server';
import { mintToken } from './local-issuer/mint-token';
import { AuthenticationError, TokenVerifier } from './token-verifier';

// The issuer is the local one (an HTTP server in this process publishing its JWKS); the clock is
// the test's, so a token's lifetime and the verifier's memory of it can be stepped through.
describe('TokenVerifier: verified tokens remembered', () => {
  const T0 = Date.parse('2026-11-28T00:00:00Z');
  let key: JWK;
  let server: IssuerServer;
  let settings: AuthSettings;

  beforeAll(async () => {
    key = await generateIssuerKey();
    server = await startIssuerServer({ keys: [key], port: 0 });
    settings = {
      issuer: server.issuer,
      jwksUrl: new URL(server.jwksUrl),
      audience: 'modelreg',
      clockSkewSeconds: 30,
      algorithms: ['ES256'],
      claims: { roles: 'modelreg_roles', models: 'modelreg_models', placements: 'modelreg_placements' },
    };
  });
  afterAll(() => server.close());

  const token = (subject: string, expiresInSeconds = 3600, signingKey: JWK = key) =>
    mintToken(signingKey, { subject, roles: ['reader'] }, { issuer: server.issuer, audience: 'modelreg', expiresInSeconds, nowMs: T0 });

  function verifierAt(clock: { ms: number }, options: { ttlMs?: number; maxEntries?: number } = {}) {
    return new TokenVerifier(settings, { now: () => clock.ms, ...options });
  }

  it('checks a token once, answers the same text from memory with the same claims, and checks another token', async () => {
    const clock = { ms: T0 };
    const verifier = verifierAt(clock);
    const alice = await token('alice');
    const first = await verifier.verify(`Bearer ${alice}`);
    clock.ms += 10_000;
    const again = await verifier.verify(`Bearer ${alice}`);
    expect(again).toEqual(first);
    expect(again.sub).toBe('alice');
    expect(verifier.counters()).toEqual({ signatureChecks: 1, remembered: 1 });
    expect((await verifier.verify(`Bearer ${await token('bob')}`)).sub).toBe('bob');
    expect(verifier.counters()).toEqual({ signatureChecks: 2, remembered: 1 });
  });

  it('checks the signature again once the memory lapses', async () => {
    const clock = { ms: T0 };
    const verifier = verifierAt(clock, { ttlMs: 60_000 });
    const alice = await token('alice');
    await verifier.verify(`Bearer ${alice}`);
    clock.ms += 59_999;
    await verifier.verify(`Bearer ${alice}`);
    clock.ms += 1;
    await verifier.verify(`Bearer ${alice}`);
    expect(verifier.counters()).toEqual({ signatureChecks: 2, remembered: 1 });
  });

  it('never answers from memory past exp plus the skew: the token is refused as expired', async () => {
    const clock = { ms: T0 };
    const verifier = verifierAt(clock, { ttlMs: 10 * 60_000 });
    const shortLived = await token('alice', 60);
    await verifier.verify(`Bearer ${shortLived}`);
    clock.ms = T0 + (60 + 30) * 1000 - 1;
    await expect(verifier.verify(`Bearer ${shortLived}`)).resolves.toMatchObject({ sub: 'alice' });
    clock.ms += 1;
    await expect(verifier.verify(`Bearer ${shortLived}`)).rejects.toThrow(new AuthenticationError('token expired', 'invalid_token'));
    expect(verifier.counters()).toEqual({ signatureChecks: 2, remembered: 1 });
  });

  it('remembers no failure: a token with a foreign signature is checked and refused every time', async () => {
    const clock = { ms: T0 };
    const verifier = verifierAt(clock);
    const stranger = await generateIssuerKey();
    const forged = await token('mallory', 3600, { ...stranger, kid: key.kid });
    for (let attempt = 0; attempt < 2; attempt += 1)
      await expect(verifier.verify(`Bearer ${forged}`)).rejects.toThrow('token signature is invalid');
    expect(verifier.counters()).toEqual({ signatureChecks: 2, remembered: 0 });
  });

  it('a token differing by one character is not the remembered one', async () => {
    const clock = { ms: T0 };
    const verifier = verifierAt(clock);
    const alice = await token('alice');
    await verifier.verify(`Bearer ${alice}`);
    // The signature's first character (its last one may carry only padding bits, which decode alike).
    const at = alice.lastIndexOf('.') + 1;
    const altered = alice.slice(0, at) + (alice[at] === 'A' ? 'B' : 'A') + alice.slice(at + 1);
    await expect(verifier.verify(`Bearer ${altered}`)).rejects.toThrow(AuthenticationError);
    expect(verifier.counters()).toEqual({ signatureChecks: 2, remembered: 0 });
  });

  it('forgets the oldest token first when full', async () => {
    const clock = { ms: T0 };
    const verifier = verifierAt(clock, { maxEntries: 2 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((subject) => token(subject)));
    for (const text of [a, b, c, c, b, a]) await verifier.verify(`Bearer ${text}`);
    // a, b, c checked; c and b remembered; a was forgotten when c came, so checked again.
    expect(verifier.counters()).toEqual({ signatureChecks: 4, remembered: 2 });
  });
});
