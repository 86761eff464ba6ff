import { fromBody, type AccessRule } from './access-rule';
import { authorize } from './authorize';
import { callerFromClaims } from './caller';
import { matchesPattern, matchesPlacementPattern } from './glob-pattern';

const CLAIMS = { roles: 'modelreg_roles', models: 'modelreg_models', placements: 'modelreg_placements' };
const caller = (claims: Record<string, unknown>) => callerFromClaims({ sub: 'alice', iss: 'https://id.example.com', ...claims }, CLAIMS);
const register: Extract<AccessRule, { kind: 'roles' }> = { kind: 'roles', anyOf: ['trainer'], model: fromBody('modelName') };
const report: Extract<AccessRule, { kind: 'roles' }> = {
  kind: 'roles',
  anyOf: ['controller'],
  placement: { service: fromBody('service'), environment: fromBody('environment') },
};

describe('grant patterns', () => {
  it.each([
    ['fraud-*', 'fraud-model', true],
    ['fraud-*', 'fraud-', true],
    ['fraud-*', 'xfraud-model', false],
    ['fraud-?', 'fraud-1', true],
    ['fraud-?', 'fraud-12', false],
    ['fraud.model', 'fraudXmodel', false],
    ['*', 'anything', true],
    ['fraud-model', 'Fraud-model', false],
    ['(a|b)', 'a', false],
  ])('%s matches %s: %s', (pattern, value, expected) => expect(matchesPattern(pattern, value)).toBe(expected));

  it('reads placement patterns as service/environment, each half a pattern', () => {
    expect(matchesPlacementPattern('fraud-api/*', { service: 'fraud-api', environment: 'prod' })).toBe(true);
    expect(matchesPlacementPattern('*/staging', { service: 'fraud-api', environment: 'prod' })).toBe(false);
    expect(matchesPlacementPattern('fraud-api', { service: 'fraud-api', environment: 'prod' })).toBe(false);
  });
});

describe('claims to caller', () => {
  it('keeps the registry roles it knows, from an array or a space-separated string, and the principal', () => {
    const alice = caller({ modelreg_roles: ['trainer', 'offline_access', 'reader'], modelreg_models: 'fraud-* churn-*' });
    expect(alice.principal).toEqual({ subject: 'alice', issuer: 'https://id.example.com', roles: ['reader', 'trainer'] });
    expect(alice.modelPatterns).toEqual(['fraud-*', 'churn-*']);
    expect(alice.placementPatterns).toEqual([]);
    expect(caller({ modelreg_roles: 'auditor' }).principal.roles).toEqual(['auditor']);
  });

  it('reads a nested claim by a dotted name (Keycloak realm roles)', () => {
    expect(
      callerFromClaims({ sub: 'k', iss: 'i', realm_access: { roles: ['policy-admin'] } }, { ...CLAIMS, roles: 'realm_access.roles' })
        .principal.roles,
    ).toEqual(['policy-admin']);
  });

  it('grants nothing for a missing or malformed claim', () => {
    expect(caller({ modelreg_roles: 42 }).roles.size).toBe(0);
    expect(caller({ modelreg_roles: [1, null, 'reader'] }).principal.roles).toEqual(['reader']);
  });
});

describe('authorize', () => {
  const trainer = caller({ modelreg_roles: ['trainer'], modelreg_models: ['fraud-*'] });

  it('allows a role holder within its patterns', () => {
    expect(authorize(trainer, register, { body: { modelName: 'fraud-model' } })).toEqual({ allowed: true });
  });

  it('names the role needed and the roles held', () => {
    expect(authorize(caller({ modelreg_roles: ['reader'] }), register, { body: { modelName: 'fraud-model' } })).toEqual({
      allowed: false,
      message: "requires role trainer (the token's roles: reader)",
    });
    expect(authorize(caller({}), { kind: 'roles', anyOf: ['trainer', 'reader'] }, {})).toEqual({
      allowed: false,
      message: "requires role trainer or reader (the token's roles: none)",
    });
  });

  it('names the model outside the patterns, and the patterns', () => {
    expect(authorize(trainer, register, { body: { modelName: 'churn-model' } })).toEqual({
      allowed: false,
      message: 'model "churn-model" is outside the token\'s model patterns (fraud-*)',
    });
  });

  it('refuses a request that leaves the scoped name out, unless every name is granted', () => {
    expect(authorize(trainer, register, { body: {} })).toMatchObject({
      allowed: false,
      message: expect.stringContaining('modelName must name the model'),
    });
    expect(authorize(trainer, register, { body: 'not an object' })).toMatchObject({ allowed: false });
    expect(authorize(caller({ modelreg_roles: ['trainer'], modelreg_models: ['*'] }), register, { body: {} })).toEqual({ allowed: true });
  });

  it('scopes a controller to its placements', () => {
    const controller = caller({ modelreg_roles: ['controller'], modelreg_placements: ['fraud-api/staging'] });
    expect(authorize(controller, report, { body: { service: 'fraud-api', environment: 'staging' } })).toEqual({ allowed: true });
    expect(authorize(controller, report, { body: { service: 'fraud-api', environment: 'production' } })).toEqual({
      allowed: false,
      message: 'placement "fraud-api/production" is outside the token\'s placement patterns (fraud-api/staging)',
    });
    expect(authorize(controller, report, { body: { deploymentId: 'd1' } })).toMatchObject({ allowed: false });
    expect(
      authorize(caller({ modelreg_roles: ['controller'], modelreg_placements: ['*/*'] }), report, { body: { deploymentId: 'd1' } }),
    ).toEqual({ allowed: true });
  });
});
