import { deadLetterReasonKind, ServiceMetrics } from './service-metrics';

describe('service metrics', () => {
  it('names dead-letter reasons by their kind, with bounded cardinality', () => {
    expect(deadLetterReasonKind('handler failed: null value in column (SQLSTATE 23502)')).toBe('handler_failed');
    expect(deadLetterReasonKind('undecodable: unknown schema fingerprint 0x00')).toBe('undecodable');
    expect(deadLetterReasonKind('invalid event id: "x" is not a UUID')).toBe('invalid_event_id');
    expect(deadLetterReasonKind(': nothing before the colon')).toBe('other');
    expect(deadLetterReasonKind(`${'x'.repeat(60)}: too long to be a kind`)).toBe('other');
  });

  it('reports consumer lag per partition and relay counters as they grow, even when a relay is replaced', async () => {
    const metrics = new ServiceMetrics('test-service');
    let lag = 5n;
    metrics.watchConsumer('group-a', () => [{ topic: 'modelreg.lineage.v1', partition: 2, lag }]);
    let appended = 3;
    const pool = { query: async () => ({ rows: [{ value: 7 }] }) } as never;
    metrics.watchOutbox('ingestion', pool, () => ({ appended, deadLettered: 0, foundOnLog: 0 }));
    let text = await metrics.registry.metrics();
    expect(text).toContain(
      'modelreg_consumer_lag_records{group="group-a",topic="modelreg.lineage.v1",partition="2",service="test-service"} 5',
    );
    expect(text).toContain('modelreg_outbox_depth{outbox="ingestion",service="test-service"} 7');
    expect(text).toContain('modelreg_outbox_appended_total{outbox="ingestion",service="test-service"} 3');
    lag = 0n;
    appended = 10;
    text = await metrics.registry.metrics();
    expect(text).toContain(
      'modelreg_consumer_lag_records{group="group-a",topic="modelreg.lineage.v1",partition="2",service="test-service"} 0',
    );
    expect(text).toContain('modelreg_outbox_appended_total{outbox="ingestion",service="test-service"} 10');
    // A new relay for the same outbox starts counting from 0: its appends add to the total.
    appended = 2;
    metrics.watchOutbox('ingestion', pool, () => ({ appended, deadLettered: 0, foundOnLog: 0 }));
    expect(await metrics.registry.metrics()).toContain('modelreg_outbox_appended_total{outbox="ingestion",service="test-service"} 12');
  });

  it('counts dead letters by kind', async () => {
    const metrics = new ServiceMetrics('test-service');
    metrics.countDeadLetters(['undecodable: bad marker', 'undecodable: corrupt', 'handler failed: boom']);
    const text = await metrics.registry.metrics();
    expect(text).toContain('modelreg_dead_letters_total{reason="undecodable",service="test-service"} 2');
    expect(text).toContain('modelreg_dead_letters_total{reason="handler_failed",service="test-service"} 1');
  });
});
