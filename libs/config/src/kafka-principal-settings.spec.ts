import { asKafkaPrincipal, principalPasswordVariable } from './kafka-principal-settings';

describe('asKafkaPrincipal', () => {
  const stack = {
    KAFKA_BROKERS: 'b:1',
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: 'admin',
    KAFKA_SASL_PASSWORD: 'a',
    KAFKA_SASL_PASSWORD_TRAINER: 't',
    KAFKA_SASL_PASSWORD_INGESTION: 'i',
  };

  it("switches to the principal's user and drops every other password", () => {
    expect(asKafkaPrincipal(stack, 'trainer')).toEqual({
      KAFKA_BROKERS: 'b:1',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'trainer',
      KAFKA_SASL_PASSWORD: 't',
    });
  });

  it('keeps settings without SASL as they are', () => {
    expect(asKafkaPrincipal({ KAFKA_BROKERS: 'b:1' }, 'ingestion')).toEqual({ KAFKA_BROKERS: 'b:1' });
  });
});

describe('principalPasswordVariable', () => {
  it('names the variable after the principal', () => {
    expect(principalPasswordVariable('deployment-tracker')).toBe('KAFKA_SASL_PASSWORD_DEPLOYMENT_TRACKER');
  });
});
