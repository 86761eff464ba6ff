import { aclBindings, type AclBinding } from './kafka-principals';

const on = (bindings: AclBinding[], principal: string, operation: AclBinding['operation']) =>
  bindings
    .filter((binding) => binding.principal === `User:${principal}` && binding.operation === operation)
    .map((binding) => binding.resourceName)
    .sort();

describe('aclBindings', () => {
  const bindings = aclBindings('acme');

  it('lets each principal write only its own topics', () => {
    expect(on(bindings, 'ingestion', 'WRITE')).toEqual(['acme.dead-letter.v1', 'acme.lineage.v1']);
    expect(on(bindings, 'gate-validator', 'WRITE')).toEqual(['acme.dead-letter.v1', 'acme.gates.v1']);
    expect(on(bindings, 'deployment-tracker', 'WRITE')).toEqual(['acme.dead-letter.v1', 'acme.deployments.v1']);
    expect(on(bindings, 'projections', 'WRITE')).toEqual(['acme.dead-letter.v1']);
    expect(on(bindings, 'trainer', 'WRITE')).toEqual(['acme.run-submissions.v1']);
    expect(on(bindings, 'controller', 'WRITE')).toEqual(['acme.deployment-reports.v1']);
  });

  it('lets each principal read what it consumes (and a service its own outbox topics), no more', () => {
    expect(on(bindings, 'ingestion', 'READ')).toEqual([
      'acme.dead-letter.v1',
      'acme.ingestion',
      'acme.lineage.v1',
      'acme.run-submissions.v1',
      'modelreg-log-reader-',
    ]);
    expect(on(bindings, 'trainer', 'READ')).toEqual([]);
    expect(on(bindings, 'controller', 'READ')).toEqual(['acme.controller', 'acme.deployments.v1']);
    expect(on(bindings, 'projections', 'READ')).not.toContain('acme.run-submissions.v1');
    expect(on(bindings, 'gate-validator', 'READ')).not.toContain('acme.deployment-reports.v1');
  });

  it('gives consumer groups by prefix and topics literally', () => {
    expect(bindings.filter((binding) => binding.resourceType === 'GROUP').every((binding) => binding.pattern === 'PREFIXED')).toBe(true);
    expect(
      bindings
        .filter((binding) => binding.resourceType === 'TOPIC')
        .every((binding) => binding.pattern === 'LITERAL' && binding.resourceName.startsWith('acme.')),
    ).toBe(true);
  });
});
