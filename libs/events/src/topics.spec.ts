import { misplacedEventReason, topicNames } from './topics';

describe('misplacedEventReason', () => {
  const topics = topicNames('acme');

  it('accepts each event on its own topic', () => {
    expect(misplacedEventReason(topics, 'acme.lineage.v1', 'RunRegistered')).toBeNull();
    expect(misplacedEventReason(topics, 'acme.deployment-reports.v1', 'DeploymentReportSubmitted')).toBeNull();
    expect(misplacedEventReason(topics, 'acme.gates.v1', 'GatePolicyPublished')).toBeNull();
  });

  it('refuses a RunRegistered anywhere but the lineage topic, naming where it belongs', () => {
    expect(misplacedEventReason(topics, 'acme.deployment-reports.v1', 'RunRegistered')).toBe(
      'misplaced event: RunRegistered does not belong on acme.deployment-reports.v1 (it is appended to acme.lineage.v1 only)',
    );
    expect(misplacedEventReason(topics, 'acme.run-submissions.v1', 'RunRegistered')).toMatch(/^misplaced event: /);
    expect(misplacedEventReason(topics, 'acme.gates.v1', 'RunRegistered')).toMatch(/^misplaced event: /);
  });

  it('refuses a GateEvaluated on the deployments topic and a RunSubmitted on lineage', () => {
    expect(misplacedEventReason(topics, 'acme.deployments.v1', 'GateEvaluated')).toMatch(
      /GateEvaluated does not belong on acme.deployments.v1/,
    );
    expect(misplacedEventReason(topics, 'acme.lineage.v1', 'RunSubmitted')).toMatch(/RunSubmitted does not belong on acme.lineage.v1/);
  });

  it('leaves topics of another prefix alone', () => {
    expect(misplacedEventReason(topics, 'other.deployment-reports.v1', 'RunRegistered')).toBeNull();
  });
});
