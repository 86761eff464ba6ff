import { KafkaJSError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { publishRefusal } from './publish-refusal';

const protocolError = (type: string, code: number, retriable: boolean) =>
  new KafkaJSProtocolError({ type, code, retriable, message: `${type} from the broker` } as never);

describe('publishRefusal', () => {
  it('names a record the broker will never take, however kafkajs wrapped the error', () => {
    const tooLarge = protocolError('MESSAGE_TOO_LARGE', 10, false);
    expect(publishRefusal(tooLarge)).toBe('MESSAGE_TOO_LARGE: MESSAGE_TOO_LARGE from the broker');
    expect(publishRefusal(new KafkaJSNumberOfRetriesExceeded(tooLarge, { retryCount: 0, retryTime: 0 }))).toMatch(/^MESSAGE_TOO_LARGE: /);
    expect(publishRefusal(protocolError('INVALID_RECORD', 87, false))).toMatch(/^INVALID_RECORD: /);
    expect(publishRefusal(protocolError('RECORD_LIST_TOO_LARGE', 18, false))).toMatch(/^RECORD_LIST_TOO_LARGE: /);
    expect(publishRefusal(protocolError('INVALID_TOPIC_EXCEPTION', 17, false))).toMatch(/^INVALID_TOPIC_EXCEPTION: /);
  });

  it('leaves errors that a later retry can fix to the caller (broker down, leader moving, timeouts)', () => {
    const leader = protocolError('NOT_LEADER_FOR_PARTITION', 6, true);
    expect(publishRefusal(new KafkaJSNumberOfRetriesExceeded(leader, { retryCount: 8, retryTime: 100 }))).toBeNull();
    expect(publishRefusal(protocolError('TOPIC_AUTHORIZATION_FAILED', 29, false))).toBeNull();
    expect(publishRefusal(new KafkaJSError('Connection error: ECONNREFUSED'))).toBeNull();
    expect(publishRefusal(new Error('timeout'))).toBeNull();
  });
});
