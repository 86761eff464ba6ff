import { hostName, refuseHostOrOrigin } from './request-hardening';

const settings = { allowedHosts: ['localhost', '127.0.0.1', '[::1]', 'registry.example.com'], corsOrigins: ['https://dash.example.com'] };

describe('Host and Origin checks', () => {
  it('reads the host name without the port', () => {
    expect(hostName('127.0.0.1:8080')).toBe('127.0.0.1');
    expect(hostName('[::1]:8080')).toBe('[::1]');
    expect(hostName('Registry.Example.com')).toBe('registry.example.com');
  });

  it('refuses a Host the service does not answer to (DNS rebinding)', () => {
    expect(refuseHostOrOrigin(settings, { method: 'GET', host: 'attacker.example:8080', origin: undefined })).toMatchObject({
      status: 421,
      field: 'host',
    });
    expect(refuseHostOrOrigin(settings, { method: 'GET', host: undefined, origin: undefined })).toMatchObject({ status: 421 });
    expect(refuseHostOrOrigin(settings, { method: 'GET', host: 'localhost:3000', origin: undefined })).toBeNull();
  });

  it('refuses a state-changing request from a foreign origin, allows the same origin and CORS_ORIGINS', () => {
    expect(refuseHostOrOrigin(settings, { method: 'POST', host: 'localhost:3000', origin: 'https://evil.example' })).toMatchObject({
      status: 403,
      field: 'origin',
    });
    expect(refuseHostOrOrigin(settings, { method: 'POST', host: 'localhost:3000', origin: 'null' })).toMatchObject({ status: 403 });
    expect(refuseHostOrOrigin(settings, { method: 'POST', host: 'localhost:3000', origin: 'http://localhost:3000' })).toBeNull();
    expect(refuseHostOrOrigin(settings, { method: 'PUT', host: 'localhost:3000', origin: 'https://dash.example.com' })).toBeNull();
    expect(refuseHostOrOrigin(settings, { method: 'GET', host: 'localhost:3000', origin: 'https://evil.example' })).toBeNull();
    expect(refuseHostOrOrigin(settings, { method: 'POST', host: 'localhost:3000', origin: undefined })).toBeNull();
  });
});
