/**
 * Every failure a service can report, by stable code. The server maps each code to an HTTP status in one place
 * (src/server/plugins/error-handler.ts); the UI maps it to a translated message.
 */
export const errorCodes = {
  'validation.failed': 400,
  'auth.unauthenticated': 401,
  'auth.invalid_credentials': 401,
  /** The session's password is temporary: only changing it, /auth/me and logout are allowed until then. */
  'auth.password_change_required': 403,
  'auth.account_disabled': 403,
  'auth.csrf_failed': 403,
  'auth.forbidden': 403,
  'auth.out_of_scope': 403,
  'auth.token_invalid': 401,
  'resource.not_found': 404,
  'resource.conflict': 409,
  'region.invalid_code': 400,
  'region.parent_mismatch': 400,
  'region.duplicate_code': 409,
  'department.duplicate_code': 409,
  'user.duplicate_username': 409,
  rate_limited: 429,
  'service.unavailable': 503,
  'case.invalid_transition': 409,
  'case.conflict': 409,
  'idempotency.mismatch': 422,
  /** An uploaded file over the size limit (the issue names the field `file`). */
  'upload.too_large': 413,
  /** An uploaded file that is not one of the accepted types, judged by its content. */
  'upload.unsupported_type': 415,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `body.code` or `body.scope.regionCode`. */
  field: string;
  /** Machine-readable reason, e.g. `too_small`, `invalid_format`, `unknown_field`. */
  reason: string;
  /** Human-readable explanation in the request's language. */
  message: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  readonly issues: FieldIssue[];

  constructor(
    code: ErrorCode,
    message?: string,
    details: Record<string, unknown> = {},
    issues: FieldIssue[] = [],
  ) {
    super(message ?? code);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
    this.issues = issues;
  }
}

export function httpStatusOf(code: ErrorCode): number {
  return errorCodes[code];
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
