// The one error class and the one JSON error shape. Handlers throw ApiError; app.onError
// renders it. Anything else becomes a 500 whose body says nothing about the cause.
import type { ContentfulStatusCode } from "hono/utils/http-status";

export const ERROR_STATUS = {
  validation_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  // A var or secret the Worker cannot run with (src/lib/config.ts): the operator's to fix.
  bad_environment: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetail {
  path?: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: ContentfulStatusCode;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = ERROR_STATUS[code];
  }

  toBody() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details?.length ? { details: this.details } : {}),
      },
    };
  }
}

export const notFound = (what: string) => new ApiError("not_found", `${what} not found`);
export const conflict = (message: string) => new ApiError("conflict", message);
export const validationError = (message: string, details?: ErrorDetail[]) => new ApiError("validation_error", message, details);
