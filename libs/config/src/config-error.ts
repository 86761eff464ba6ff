/** A missing or malformed setting. Stops the process at boot with the setting's name. */
export class ConfigError extends Error {
  readonly retriable = false;
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`${setting} ${problem}`);
    this.name = 'ConfigError';
  }
}
