// Webhook signatures (`X-Nixflex-Signature: t=<unix>,v1=<hex>`, HMAC-SHA256 of "<t>.<raw body>"
// keyed with the `nxfs_…` secret), checked by the core; and the per-number webhook settings
// with the official SDK's `slot` argument.

import * as native from '../native.js'
import { type APIPromise, type RequestOptions, Resource } from './core'
import { type NixflexError, fromNative, makeError } from './errors'
import type * as T from './generated/types'

/** Options of the signature checks. */
export interface VerifyOptions {
  /** How far the signed time may be from now, either way (default 300 s). */
  toleranceSeconds?: number
  /** "Now" in unix seconds (default: the clock). */
  now?: number
}

/** A delivery body: the raw bytes or text as received, before any JSON parsing. */
export type RawBody = string | Buffer | Uint8Array | ArrayBuffer

function invalid(message: string): NixflexError {
  return makeError({ kind: 'invalid_request', message })
}

/** The body as the native side takes it, or `null` when it is not a raw body at all. */
function raw(body: unknown): string | Buffer | null {
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  if (body instanceof ArrayBuffer) return Buffer.from(body)
  return null
}

function rawOrThrow(body: unknown): string | Buffer {
  const out = raw(body)
  if (out === null) {
    const what = body === null ? 'null' : typeof body
    throw invalid(
      `the webhook body must be the raw text or bytes as received (string, Buffer, Uint8Array or ArrayBuffer), got ${what}; verify it before any JSON parsing`,
    )
  }
  return out
}

/** Checks the options: a tolerance or a clock that is not a finite number would quietly change
 * what is accepted, so it is an error rather than the default. */
function checkVerifyOptions(options: unknown): { tolerance: number | undefined; now: number | undefined } {
  if (options === undefined || options === null) return { tolerance: undefined, now: undefined }
  if (typeof options !== 'object' || Array.isArray(options)) throw invalid(`the verify options must be an object, got ${typeof options}`)
  const { toleranceSeconds, now, ...rest } = options as VerifyOptions
  const unknown = Object.keys(rest)
  if (unknown.length > 0) {
    throw invalid(`unknown verify option ${JSON.stringify(unknown[0])}; known: toleranceSeconds, now`)
  }
  if (toleranceSeconds !== undefined && !(typeof toleranceSeconds === 'number' && Number.isFinite(toleranceSeconds) && toleranceSeconds >= 0)) {
    throw invalid(`toleranceSeconds must be a finite number of seconds from 0, got ${String(toleranceSeconds)}`)
  }
  if (now !== undefined && !(typeof now === 'number' && Number.isFinite(now))) {
    throw invalid(`now must be a finite number of unix seconds, got ${String(now)}`)
  }
  return { tolerance: toleranceSeconds, now }
}

/**
 * The official boolean check: `true` only when `header` is a well-formed signature of
 * `rawBody` with `keySecret` made within the tolerance. Whatever the delivery holds, it never
 * throws; only invalid `options` (a programming mistake) throw `NixflexInvalidRequestError`.
 */
export function verifyWebhookSignature(
  rawBody: RawBody,
  header: string | null | undefined,
  keySecret: string,
  options: VerifyOptions = {},
): boolean {
  const { tolerance, now } = checkVerifyOptions(options)
  try {
    const body = raw(rawBody)
    if (body === null || typeof header !== 'string' || typeof keySecret !== 'string') return false
    return native.verifyWebhookSignature(body, header, keySecret, tolerance, now)
  } catch {
    return false
  }
}

/**
 * The strict check: the parsed event when `header` signs `rawBody` with one of `secrets`
 * (several during a key rotation), else a `NixflexSignatureError` whose `code` names the
 * problem (`missing_signature`, `malformed_signature`, `timestamp_out_of_tolerance`,
 * `signature_mismatch`, `invalid_payload`).
 */
export function constructWebhookEvent<E extends Record<string, unknown> = WebhookEvent>(
  rawBody: RawBody,
  header: string | null | undefined,
  secrets: string | readonly string[],
  options: VerifyOptions = {},
): E {
  const { tolerance, now } = checkVerifyOptions(options)
  const body = rawOrThrow(rawBody)
  const list: unknown[] = typeof secrets === 'string' ? [secrets] : Array.isArray(secrets) ? [...secrets] : [secrets]
  if (list.length === 0 || list.some((s) => typeof s !== 'string' || s === '')) {
    throw invalid('secrets must be a key secret (nxfs_…) or an array of them, each a non-empty string')
  }
  if (header !== undefined && header !== null && typeof header !== 'string') {
    throw invalid(`the signature header must be a string, got ${Array.isArray(header) ? 'an array' : typeof header}`)
  }
  let text: string
  try {
    text = native.constructWebhookEvent(body, header ?? null, list as string[], tolerance, now)
  } catch (e) {
    throw fromNative(e)
  }
  return JSON.parse(text) as E
}

/** The `X-Nixflex-Signature` value Nixflex would send: for tests and local tools. */
export function signWebhook(rawBody: RawBody, keySecret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const body = rawOrThrow(rawBody)
  if (typeof keySecret !== 'string' || keySecret === '') throw invalid('keySecret must be a non-empty string')
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) {
    throw invalid(`timestamp must be a finite number of unix seconds, got ${String(timestamp)}`)
  }
  try {
    return native.signWebhook(body, keySecret, timestamp)
  } catch (e) {
    throw fromNative(e)
  }
}

/** A webhook delivery: `call.started`, `call.completed`, `webhook.test`. */
export interface WebhookEvent {
  event: string
  call_id?: string
  [key: string]: unknown
}

/** Which per-number webhook destination: 1 (`webhook`) or 2 (`webhook2`, API only). */
export type WebhookSlot = 1 | 2

function slotOp(slot: WebhookSlot | undefined, method: 'set' | 'get' | 'delete'): string {
  // An invalid slot names no operation: the call rejects with an invalid-request error.
  if (slot !== undefined && slot !== 1 && slot !== 2) return `webhooks.${method} (slot must be 1 or 2, got ${String(slot)})`
  return `integrations.${slot === 2 ? 'webhook2' : 'webhook'}.${method}`
}

/** Webhook destinations per number, and signature checks (`client.webhooks`). */
export class WebhooksResource extends Resource {
  /** Sets the URL that receives a number's call events (slot 1 or 2). */
  set(
    phoneNumber: string,
    url: string,
    slot: WebhookSlot = 1,
    options?: RequestOptions,
  ): APIPromise<T.IntegrationSetResult> {
    return this._call(slotOp(slot, 'set'), [phoneNumber], undefined, { url }, options)
  }

  /** Reads a number's webhook URL (slot 1 or 2). */
  get(phoneNumber: string, slot: WebhookSlot = 1, options?: RequestOptions): APIPromise<T.WebhookState | T.Webhook2State> {
    return this._call(slotOp(slot, 'get'), [phoneNumber], undefined, undefined, options)
  }

  /** Removes a number's webhook URL (slot 1 or 2). */
  delete(phoneNumber: string, slot: WebhookSlot = 1, options?: RequestOptions): APIPromise<T.IntegrationDeleteResult> {
    return this._call(slotOp(slot, 'delete'), [phoneNumber], undefined, undefined, options)
  }

  /** The official boolean check; see `verifyWebhookSignature`. */
  verify(rawBody: RawBody, header: string | null | undefined, keySecret: string, options?: VerifyOptions): boolean {
    return verifyWebhookSignature(rawBody, header, keySecret, options)
  }

  /** The strict check returning the event; see `constructWebhookEvent`. */
  constructEvent<E extends Record<string, unknown> = WebhookEvent>(
    rawBody: RawBody,
    header: string | null | undefined,
    secrets: string | readonly string[],
    options?: VerifyOptions,
  ): E {
    return constructWebhookEvent<E>(rawBody, header, secrets, options)
  }

  /** The signature header Nixflex would send; see `signWebhook`. */
  sign(rawBody: RawBody, keySecret: string, timestamp?: number): string {
    return signWebhook(rawBody, keySecret, timestamp)
  }
}
