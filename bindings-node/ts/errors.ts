// How a Nixflex failure surfaces in JavaScript: one class per kind, chosen by the core from the
// HTTP status (never from the API's `type` string). The native addon rejects with
// `NIXFLEX_ERROR:{json}`; `fromNative` turns that into the right class.

import * as native from '../native.js'

/** The fields every Nixflex error carries. */
export interface NixflexErrorFields {
  /** The category, shared by every language: `not_found`, `rate_limited`, `timeout`, `aborted`… */
  kind: string
  message: string
  /** The HTTP status, or 0 when no response arrived (as the official SDK). */
  status?: number | null
  /** The API's machine-readable code (`agent_not_found`, `missing_field`…). */
  code?: string | null
  /** The API's `type` string, as sent (informational: branch on the class or `code`). */
  type?: string | null
  docUrl?: string | null
  details?: Record<string, unknown> | null
  /** The `x-request-id` of the last response: what support asks for. */
  requestId?: string | null
  /** The wait the server asked for (`Retry-After`, `retry-after-ms`), in seconds. */
  retryAfterSeconds?: number | null
  /** The `Idempotency-Key` every attempt carried: re-issue a failed mutation with it. */
  idempotencyKey?: string | null
  /** How many attempts were made (0 when none reached the network). */
  attempts?: number | null
}

// Names are set as literals on each prototype, not read from the constructor's `name`, so a
// minifier that renames classes cannot change what `err.name` and the stack say.
function named(Class: { prototype: Error }, name: string): void {
  Object.defineProperty(Class.prototype, 'name', { value: name, writable: true, configurable: true, enumerable: false })
}

/** Every error the SDK raises. `instanceof NixflexError` catches them all. */
export class NixflexError extends Error {
  static {
    named(this, 'NixflexError')
  }

  /** The category (`not_found`, `rate_limited`, `connection`, `timeout`, `aborted`…). */
  readonly kind: string
  /** The HTTP status, or 0 when no response arrived. */
  readonly status: number
  /** The API's machine-readable code; `"unknown_error"` when it sent none (as the official SDK). */
  readonly code: string
  /** The API's `type` string; `"error"` when it sent none. */
  readonly type: string
  readonly docUrl: string | undefined
  /** The API's `details` object (`{}` when none). */
  readonly details: Record<string, unknown>
  readonly requestId: string | undefined
  /** The wait the server asked for, in seconds (429, and 503 with `Retry-After`). */
  readonly retryAfterSeconds: number | undefined
  readonly idempotencyKey: string | undefined
  readonly attempts: number

  constructor(fields: NixflexErrorFields, options?: { cause?: unknown }) {
    super(fields.message, options)
    this.kind = fields.kind
    this.status = fields.status ?? 0
    this.code = fields.code ?? 'unknown_error'
    this.type = fields.type ?? 'error'
    this.docUrl = fields.docUrl ?? undefined
    this.details = (fields.details as Record<string, unknown> | null | undefined) ?? {}
    this.requestId = fields.requestId ?? undefined
    this.retryAfterSeconds = fields.retryAfterSeconds ?? undefined
    this.idempotencyKey = fields.idempotencyKey ?? undefined
    this.attempts = fields.attempts ?? 0
  }

  /** The fields as plain data (for logs and `JSON.stringify`). */
  toJSON(): NixflexErrorFields & { name: string } {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      status: this.status,
      code: this.code,
      type: this.type,
      docUrl: this.docUrl ?? null,
      details: this.details,
      requestId: this.requestId ?? null,
      retryAfterSeconds: this.retryAfterSeconds ?? null,
      idempotencyKey: this.idempotencyKey ?? null,
      attempts: this.attempts,
    }
  }
}

/** 400 or 422: the request was malformed or failed validation. */
export class NixflexInvalidRequestError extends NixflexError {
  static {
    named(this, 'NixflexInvalidRequestError')
  }
}

/** 401: missing, malformed, revoked or rotated key. */
export class NixflexAuthenticationError extends NixflexError {
  static {
    named(this, 'NixflexAuthenticationError')
  }
}

/** 402: out of credit. */
export class NixflexPaymentRequiredError extends NixflexError {
  static {
    named(this, 'NixflexPaymentRequiredError')
  }
}

/** 403: authenticated but not allowed. */
export class NixflexPermissionDeniedError extends NixflexError {
  static {
    named(this, 'NixflexPermissionDeniedError')
  }
}

/** 404: not found, or not yours. */
export class NixflexNotFoundError extends NixflexError {
  static {
    named(this, 'NixflexNotFoundError')
  }
}

/** 409: conflicts with the current state (a number already imported…). */
export class NixflexConflictError extends NixflexError {
  static {
    named(this, 'NixflexConflictError')
  }
}

/** 429: rate limited; `retryAfterSeconds` says how long the server asked to wait. */
export class NixflexRateLimitError extends NixflexError {
  static {
    named(this, 'NixflexRateLimitError')
  }
}

/** 5xx. */
export class NixflexServerError extends NixflexError {
  static {
    named(this, 'NixflexServerError')
  }
}

/** 502: an upstream provider (carrier, speech, AI) failed. */
export class NixflexUpstreamError extends NixflexServerError {
  static {
    named(this, 'NixflexUpstreamError')
  }
}

/** No complete response: refused, reset, DNS… (`status` 0). */
export class NixflexConnectionError extends NixflexError {
  static {
    named(this, 'NixflexConnectionError')
  }
}

/** An attempt, or the call's deadline, timed out. */
export class NixflexTimeoutError extends NixflexConnectionError {
  static {
    named(this, 'NixflexTimeoutError')
  }
}

/** The call's `signal` was aborted; the call was stopped and not retried. */
export class NixflexAbortError extends NixflexError {
  static {
    named(this, 'NixflexAbortError')
  }

  // `code` is 'ABORT_ERR', as on Node's own abort errors, so existing abort checks match.
  constructor(fields: NixflexErrorFields, options?: { cause?: unknown }) {
    super({ ...fields, code: 'ABORT_ERR' }, options)
  }
}

/** A webhook delivery failed verification (`code` names the problem). */
export class NixflexSignatureError extends NixflexError {
  static {
    named(this, 'NixflexSignatureError')
  }
}

type ErrorClass = new (fields: NixflexErrorFields, options?: { cause?: unknown }) => NixflexError

const BY_KIND: Record<string, ErrorClass> = {
  invalid_request: NixflexInvalidRequestError,
  authentication: NixflexAuthenticationError,
  payment_required: NixflexPaymentRequiredError,
  permission_denied: NixflexPermissionDeniedError,
  not_found: NixflexNotFoundError,
  conflict: NixflexConflictError,
  rate_limited: NixflexRateLimitError,
  server: NixflexServerError,
  upstream: NixflexUpstreamError,
  connection: NixflexConnectionError,
  timeout: NixflexTimeoutError,
  aborted: NixflexAbortError,
  signature: NixflexSignatureError,
}

/** The error class of a kind; kinds without their own class (`decode`, `configuration`,
 * `unexpected_status`, `internal`) are plain `NixflexError`s. */
export function errorClassOf(kind: string): ErrorClass {
  return BY_KIND[kind] ?? NixflexError
}

/** Builds the error of a kind from its fields. */
export function makeError(fields: NixflexErrorFields, cause?: unknown): NixflexError {
  const Class = errorClassOf(fields.kind)
  return cause === undefined ? new Class(fields) : new Class(fields, { cause })
}

const PREFIX = 'NIXFLEX_ERROR:'

/** Turns whatever the native addon threw into a `NixflexError`. */
export function fromNative(err: unknown): NixflexError {
  if (err instanceof NixflexError) return err
  const message = err instanceof Error ? err.message : String(err)
  if (message.startsWith(PREFIX)) {
    try {
      return makeError(JSON.parse(message.slice(PREFIX.length)) as NixflexErrorFields)
    } catch {
      // fall through: an internal error below
    }
  }
  return new NixflexError(
    { kind: 'internal', message: `internal error in the Nixflex SDK: ${message}` },
    { cause: err },
  )
}

/**
 * The error an HTTP error response stands for, as the official SDK's `errorFromResponse`:
 * the class by status, the fields from the API's error envelope.
 */
export function errorFromResponse(
  status: number,
  body: unknown,
  headers?: Headers | Record<string, string | undefined> | null,
): NixflexError {
  const header = (name: string): string | undefined => {
    if (!headers) return undefined
    if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined
    return (headers as Record<string, string | undefined>)[name]
  }
  const envelope =
    body && typeof body === 'object' && 'error' in body ? (body as { error: Record<string, unknown> }).error : undefined
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : null)
  const kind = native.errorKindForStatus(status)
  const retryAfter = Number(header('retry-after'))
  return makeError({
    kind,
    message: text(envelope?.message) ?? `Nixflex API error (HTTP ${status})`,
    status,
    code: text(envelope?.code),
    type: text(envelope?.type),
    docUrl: text(envelope?.doc_url),
    details: (envelope?.details as Record<string, unknown> | undefined) ?? null,
    requestId: header('x-request-id') ?? header('x-railway-request-id') ?? null,
    retryAfterSeconds: Number.isFinite(retryAfter) && status === 429 ? retryAfter : null,
  })
}
