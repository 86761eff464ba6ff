import { ConfigError } from '@modelreg/config';
import { checkEventLimit } from './broker-message-limit';
import { ensureEventsFit, EventTooLargeError, recordBytes, RECORD_BATCH_HEADER_BYTES, SEAL_RESERVE_BYTES } from './event-size';
import type { OutgoingMessage } from './outgoing-message';

const message = (valueBytes: number): OutgoingMessage => ({
  topic: 'modelreg.lineage.v1',
  key: 'fraud-model',
  value: Buffer.alloc(valueBytes),
  headers: { 'modelreg-event-type': 'RunRegistered', 'modelreg-event-id': 'e'.repeat(36) },
});

describe('event size (MAX_EVENT_BYTES)', () => {
  it('counts key, value, headers and the widest record framing', () => {
    const framing =
      recordBytes(message(0)) -
      'fraud-model'.length -
      'modelreg-event-type'.length -
      'RunRegistered'.length -
      'modelreg-event-id'.length -
      36;
    expect(framing).toBe(36 + 2 * 10);
    expect(recordBytes(message(1000)) - recordBytes(message(0))).toBe(1000);
  });

  it(
    'passes messages that fit, with room for their seal, ' +
      'and refuses the first that does not, naming the event, its size and the limit',
    () => {
      const fits = [message(100)];
      expect(ensureEventsFit(fits, recordBytes(message(100)) + SEAL_RESERVE_BYTES)).toBe(fits);
      expect(() => ensureEventsFit(fits, recordBytes(message(100)) + SEAL_RESERVE_BYTES - 1)).toThrow(EventTooLargeError);
      const tooLarge = message(3_900_000);
      const attempt = () => ensureEventsFit([message(100), tooLarge], 2_000_000);
      expect(attempt).toThrow(EventTooLargeError);
      expect(attempt).toThrow(
        `the RunRegistered event would be ${recordBytes(tooLarge) + SEAL_RESERVE_BYTES} bytes, ` +
          `more than the 2000000 bytes an event may have (MAX_EVENT_BYTES); nothing was recorded`,
      );
    },
  );

  it('stops the service at boot when a topic would refuse a batch holding one event of MAX_EVENT_BYTES, naming both numbers', () => {
    const limits = [{ topic: 'modelreg.lineage.v1', bytes: 10_485_760, source: 'max.message.bytes' as const }];
    expect(() => checkEventLimit(10_485_760 - RECORD_BATCH_HEADER_BYTES, limits)).not.toThrow();
    const attempt = () => checkEventLimit(20_971_520, limits);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      new RegExp(
        /^MAX_EVENT_BYTES is 20971520 bytes .* more than the 10485760 bytes topic modelreg.lineage.v1 accepts/.source +
          / \(max.message.bytes\); set MAX_EVENT_BYTES to at most 10485699/.source,
      ),
    );
    expect(() => checkEventLimit(10_485_760 - RECORD_BATCH_HEADER_BYTES + 1, limits)).toThrow(ConfigError);
  });
});
