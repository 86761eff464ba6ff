import { errorCodeForStatus, problemDocument } from './problem-details';

describe('problem details (RFC 9457)', () => {
  it('names the status, the error code as type and the message as detail, keeping our members', () => {
    expect(problemDocument(400, { error: 'bad_request', field: 'labels.team', message: 'must not contain U+0000' }, '/v1/runs')).toEqual({
      type: 'https://modelreg.dev/problems/bad_request',
      title: 'Bad Request',
      status: 400,
      detail: 'must not contain U+0000',
      instance: '/v1/runs',
      error: 'bad_request',
      field: 'labels.team',
      message: 'must not contain U+0000',
    });
  });

  it('joins several field errors into the detail when there is no message', () => {
    const document = problemDocument(422, {
      error: 'validation_failed',
      errors: [
        { field: 'metrics.auc', message: 'must be finite' },
        { field: 'seeds', message: 'is required' },
      ],
    });
    expect(document['detail']).toBe('metrics.auc: must be finite; seeds: is required');
    expect(document['errors']).toHaveLength(2);
    expect(document).not.toHaveProperty('instance');
  });

  it('derives an error code from a status for exceptions that carry none', () => {
    expect(errorCodeForStatus(404)).toBe('not_found');
    expect(errorCodeForStatus(415)).toBe('unsupported_media_type');
    expect(errorCodeForStatus(429)).toBe('too_many_requests');
  });
});
