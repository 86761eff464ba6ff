import {
  eventHash,
  EventCodec,
  readSigningKey,
  SchemaCatalog,
  sealEvent,
  SIGNED_TOPIC_OF_SERVICE,
  type SigningKey,
  type SigningService,
  type TopicRole,
} from '@modelreg/events';

/**
 * Seals hand-built events the way their service's outbox would (its key, the stream's chain kept
 * in this process), for tests that append events straight to a signed topic. The chain starts
 * empty: use it for streams no service of the test appends to.
 */
export class TestEventSealer {
  private readonly heads = new Map<string, string>();
  private readonly keys = new Map<SigningService, SigningKey>();
  private readonly codec = new EventCodec(SchemaCatalog.load());

  constructor(private readonly keysDir: string) {}

  /** The encoded event, sealed as the service owning `topic` would seal it after the stream's previous sealed event. */
  seal(topic: TopicRole, value: Buffer): Buffer {
    const service = (Object.keys(SIGNED_TOPIC_OF_SERVICE) as SigningService[]).find((name) => SIGNED_TOPIC_OF_SERVICE[name] === topic);
    if (!service) throw new Error(`the ${topic} topic is not signed`);
    const stream = `${topic}\n${this.codec.decode(value).data.envelope.subject.modelName}`;
    const key = this.keys.get(service) ?? readSigningKey(this.keysDir, service);
    this.keys.set(service, key);
    const sealed = sealEvent(this.codec, value, key, this.heads.get(stream) ?? null);
    this.heads.set(stream, eventHash(sealed));
    return sealed;
  }
}
