// Webhook signatures (`X-Nixflex-Signature: t=<unix>,v1=<hex>`, HMAC-SHA256 of "<t>.<raw body>"
// keyed with the `nxfs_…` secret), checked by the core; and the per-number webhook settings
// with the official SDK's `slot` argument.

import * as native from '../native.js'
import { type APIPromise, type RequestOptions, Resource } from './core'
import { fromNative } from './errors'
import type * as T from './generated/types'

/** Options of the signature checks. */
export interface VerifyOptions {
  /** How far the signed time may be from now, either way (default 300 s). */
  toleranceSeconds?: number
  /** "Now" in unix seconds (default: the clock). */
  now?: number
}

/** A delivery body: the raw bytes or text as received, before any JSON parsing. */
export type RawBody = string | Buffer | Uint8Array

function raw(body: RawBody): string | Buffer {
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
}

/**
 * The official boolean check: `true` only when `header` is a well-formed signature of
 * `rawBody` with `keySecret` made within the tolerance. Never throws.
 */
export function verifyWebhookSignature(
  rawBody: RawBody,
  header: string | null | undefined,
  keySecret: string,
  options: VerifyOptions = {},
): boolean {
  try {
    if (typeof header !== 'string' || typeof keySecret !== 'string') return false
    if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) return false
    return native.verifyWebhookSignature(raw(rawBody), header, keySecret, options.toleranceSeconds, options.now)
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
  const list = typeof secrets === 'string' ? [secrets] : [...secrets]
  let text: string
  try {
    text = native.constructWebhookEvent(
      raw(rawBody),
      typeof header === 'string' ? header : null,
      list,
      options.toleranceSeconds,
      options.now,
    )
  } catch (e) {
    throw fromNative(e)
  }
  return JSON.parse(text) as E
}

/** The `X-Nixflex-Signature` value Nixflex would send: for tests and local tools. */
export function signWebhook(rawBody: RawBody, keySecret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  try {
    return native.signWebhook(raw(rawBody), keySecret, timestamp)
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
