import { defaultPortBase, EPHEMERAL_PORTS_FROM, planPorts } from './stack-layout';

describe('planPorts: default ports of a checkout', () => {
  it('keeps every port of every checkout below the ephemeral range, and spreads checkouts apart', () => {
    const bases = new Set<number>();
    for (let i = 0; i < 5_000; i += 1) {
      const path = `/work/checkout-${i}`;
      const ports = Object.values(planPorts({}, path));
      expect(Math.max(...ports)).toBeLessThan(EPHEMERAL_PORTS_FROM);
      expect(Math.min(...ports)).toBeGreaterThanOrEqual(20_000);
      bases.add(defaultPortBase(path));
    }
    // 1,270 slots of 10 ports: 5,000 paths fill nearly all of them.
    expect(bases.size).toBeGreaterThan(1_200);
  });

  it('honours MODELREG_PORT_BASE and per-component overrides', () => {
    const ports = planPorts({ MODELREG_PORT_BASE: '41000', POSTGRES_PORT: '5432' }, '/any');
    expect(ports.kafka).toBe(41_000);
    expect(ports.postgres).toBe(5432);
    expect(ports.issuer).toBe(41_008);
  });
});
