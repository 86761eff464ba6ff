/** Injection tokens of the HTTP security module. */
export const HTTP_SECURITY_SETTINGS = 'HTTP_SECURITY_SETTINGS';
