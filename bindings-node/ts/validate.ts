// Checks of what the caller passed, before anything is sent: a mistake is a typed error that
// names it, never a value quietly dropped or coerced into something else.

import { makeError } from './errors'

/** The keys of an options object, with the names people type by mistake and what they meant. */
export interface KnownKeys {
  readonly what: string
  readonly keys: ReadonlySet<string>
  readonly hints?: Readonly<Record<string, string>>
}

const HINTS: Readonly<Record<string, string>> = {
  timeout: 'timeoutMs',
  timeout_ms: 'timeoutMs',
  deadline: 'deadlineMs',
  deadline_ms: 'deadlineMs',
  retries: 'maxRetries',
  max_retries: 'maxRetries',
  idempotency_key: 'idempotencyKey',
  idempotencyKeys: 'idempotencyKey',
  api_key: 'apiKey',
  base_url: 'baseUrl',
  page_size: 'pageSize',
  max_items: 'maxItems',
}

export const REQUEST_OPTION_KEYS: KnownKeys = {
  what: 'request options',
  keys: new Set(['timeoutMs', 'deadlineMs', 'maxRetries', 'signal', 'idempotencyKey', 'headers']),
  hints: HINTS,
}

export const CLIENT_OPTION_KEYS: KnownKeys = {
  what: 'client options',
  // `timeout` is the name the official SDK's docs use for `timeoutMs`; it is read the same.
  keys: new Set(['apiKey', 'baseUrl', 'timeoutMs', 'timeout', 'deadlineMs', 'maxRetries', 'headers']),
  hints: HINTS,
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value
}

/** Rejects an options value that is not a plain object, or that has a key nobody reads. */
export function checkKeys(spec: KnownKeys, value: unknown): void {
  if (value === undefined || value === null) return
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw makeError({ kind: 'configuration', message: `${spec.what} must be an object, got ${describe(value)}` })
  }
  for (const key of Object.keys(value)) {
    if (spec.keys.has(key)) continue
    const hint = spec.hints?.[key]
    const known = [...spec.keys].join(', ')
    throw makeError({
      kind: 'configuration',
      message: `unknown ${spec.what.replace(/s$/, '')} ${JSON.stringify(key)}${hint ? ` (did you mean "${hint}"?)` : ''}; known: ${known}`,
    })
  }
}

export function checkMillis(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw makeError({ kind: 'configuration', message: `${name} must be a positive number of milliseconds, got ${String(value)}` })
  }
  return value
}

export function checkRetries(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1000) {
    throw makeError({ kind: 'configuration', message: `maxRetries must be a whole number from 0 to 1000, got ${String(value)}` })
  }
  return value
}

/** A whole number from `min`, or `undefined`; `what` names it in the error. */
export function checkWhole(what: string, value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 0xffff_ffff) {
    throw makeError({ kind: 'invalid_request', message: `${what} must be a whole number from ${min}, got ${typeof value === 'number' ? String(value) : describe(value)}` })
  }
  return value
}

export function checkSignal(value: unknown): AbortSignal | undefined {
  if (value === undefined || value === null) return undefined
  const s = value as AbortSignal
  if (typeof s !== 'object' || typeof s.aborted !== 'boolean' || typeof s.addEventListener !== 'function') {
    throw makeError({ kind: 'configuration', message: `signal must be an AbortSignal, got ${describe(value)}` })
  }
  return s
}

export function checkIdempotencyKey(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw makeError({ kind: 'configuration', message: `idempotencyKey must be a non-empty string, got ${describe(value)}` })
  }
  return value
}

export function stringRecord(what: string, headers: unknown): Record<string, string> {
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
    throw makeError({ kind: 'configuration', message: `${what} must be an object of header names to values, got ${describe(headers)}` })
  }
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue
    if (typeof value === 'object' || typeof value === 'function') {
      throw makeError({ kind: 'configuration', message: `${what}: the value of ${JSON.stringify(name)} must be a string, got ${describe(value)}` })
    }
    out[name] = String(value)
  }
  return out
}

/** The query of a call: a plain object of parameters, or nothing. */
export function checkQuery(op: string, query: unknown): Record<string, unknown> | undefined {
  if (query === undefined || query === null) return undefined
  if (typeof query !== 'object' || Array.isArray(query)) {
    throw makeError({
      kind: 'invalid_request',
      message: `${op}: the query must be an object of parameters (e.g. { limit: 10 }), got ${describe(query)}`,
    })
  }
  return query as Record<string, unknown>
}
