/**
 * Model names become Kafka keys, S3 key parts and URL path segments, so they are restricted to a
 * safe alphabet: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit,
 * at most 128 characters, never '..'. Anything that could traverse a path ('/', '\\', '..',
 * percent-encodings such as %2e%2e%2f or %252e%252e%252f) or inject (';', control characters) fails.
 */
export const MODEL_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;
export const MODEL_NAME_HINT = 'must be 1-128 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit, without ".."';

export function isValidModelName(name: string): boolean {
  return MODEL_NAME_PATTERN.test(name) && !name.includes('..');
}
