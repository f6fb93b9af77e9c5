/**
 * One error base with a stable `code`; subclasses tell the queue what to do.
 * Match on the class or the code, never on the message.
 */

export class PicketError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The input can never succeed: dead-letter it with this reason, do not retry. */
export class InputError extends PicketError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'INPUT_INVALID', message, options);
  }
}

/** A dependency failed in a way that may pass: retry with backoff. */
export class RetryLaterError extends PicketError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'RETRY_LATER', message, options);
  }
}

/** A dependency asked us to slow down for a known time. */
export class RateLimitedError extends PicketError {
  readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs: number, options?: { cause?: unknown }) {
    super('RATE_LIMITED', message, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/** Configuration or a rule file is wrong: names the file, the field and what was expected. */
export class ConfigError extends PicketError {
  readonly file: string;
  readonly field: string;

  constructor(file: string, field: string, expected: string) {
    super('CONFIG_INVALID', `${file}: ${field || '(root)'}: ${expected}`);
    this.file = file;
    this.field = field;
  }
}

/** The message of anything thrown, for logs and dead-letter reasons. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
