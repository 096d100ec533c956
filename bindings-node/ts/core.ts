// The glue between the generated resources and the native addon: request options, the promise
// every method returns (with `.withResponse()`), list pages and walks. No HTTP policy lives
// here: retries, idempotency keys, backoff, pagination stop rules and path encoding are the
// core's.

import type * as native from '../native.js'
import { randomUUID } from 'node:crypto'
import { NixflexAbortError, NixflexError, fromNative, makeError } from './errors'
import {
  REQUEST_OPTION_KEYS,
  checkIdempotencyKey,
  checkKeys,
  checkMillis,
  checkQuery,
  checkRetries,
  checkSignal,
  checkWhole,
  stringRecord,
} from './validate'

/** Options of one call (all its attempts). Unset ones come from the client; a key not listed
 * here is rejected (a `NixflexError` of kind `configuration`) rather than ignored. */
export interface RequestOptions {
  /** Timeout of each attempt, in milliseconds. */
  timeoutMs?: number
  /** Bound on all attempts and waits together, in milliseconds. */
  deadlineMs?: number
  /** Retries after the first attempt (0 disables them). */
  maxRetries?: number
  /** Aborting it stops the call at once, wherever it is; it rejects with `NixflexAbortError`
   * and is not retried. */
  signal?: AbortSignal | null
  /** The `Idempotency-Key` to send (mutations get a fresh one when unset). Re-issue a failed
   * mutation with `err.idempotencyKey` and the API does the work at most once. */
  idempotencyKey?: string
  /** Extra headers for this call. */
  headers?: Record<string, string>
}

/** What came with a result. */
export interface ResponseMeta {
  /** The HTTP status of the final attempt. */
  status: number
  /** The response headers of the final attempt (lowercase names). */
  headers: Record<string, string>
  /** The `x-request-id` of the final attempt. */
  requestId: string | null
  /** How many attempts the call took. */
  attempts: number
  /** The `Idempotency-Key` the call carried (mutations only). */
  idempotencyKey: string | null
}

/** A result with its metadata, from `.withResponse()`. */
export interface WithResponse<T> {
  data: T
  response: ResponseMeta
  /** Same as `response.requestId`. */
  requestId: string | null
}

/** Pairs of the query string: `[name, value, name, value, …]`. */
type Flat = string[]

type Parse<T> = (value: unknown) => T

/**
 * The promise every method returns: await it for the result, or call `.withResponse()` on it
 * (before awaiting it) for the result with its status, headers, request id and attempts.
 *
 * The request starts on the next microtask, so that `.withResponse()` can ask for the
 * metadata first; a plain `await` takes the fastest path (the body as text, `JSON.parse`d here).
 */
export class APIPromise<T> extends Promise<T> {
  static override get [Symbol.species](): PromiseConstructor {
    return Promise
  }

  #run: (withMeta: boolean) => Promise<unknown>
  #parse: Parse<T>
  #fast: Promise<T> | undefined
  #meta: Promise<WithResponse<T>> | undefined

  constructor(run: (withMeta: boolean) => Promise<unknown>, parse: Parse<T>) {
    super((resolve) => resolve(undefined as never))
    this.#run = run
    this.#parse = parse
    queueMicrotask(() => {
      // Start the plain request unless `.withResponse()` or `.then()` already did.
      if (!this.#meta && !this.#fast) this.#data()
    })
  }

  #data(): Promise<T> {
    if (this.#meta) return this.#meta.then((r) => r.data)
    if (!this.#fast) {
      const parse = this.#parse
      this.#fast = this.#run(false).then((text) => parse(parseBody(text as string, null)))
    }
    return this.#fast
  }

  /** The result with its metadata: `const { data, response } = await p.withResponse()`. */
  withResponse(): Promise<WithResponse<T>> {
    if (this.#fast) {
      return Promise.reject(
        new NixflexError({
          kind: 'invalid_request',
          message: 'call .withResponse() on the promise a method returns, before awaiting it',
        }),
      )
    }
    if (!this.#meta) {
      const parse = this.#parse
      this.#meta = this.#run(true).then((value) => {
        const raw = value as native.RawResponse
        const response: ResponseMeta = {
          status: raw.status,
          headers: raw.headers,
          requestId: raw.requestId ?? null,
          attempts: raw.attempts,
          idempotencyKey: raw.idempotencyKey ?? null,
        }
        return { data: parse(parseBody(raw.body, response)), response, requestId: response.requestId }
      })
    }
    return this.#meta
  }

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#data().then(onfulfilled, onrejected)
  }

  override catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#data().catch(onrejected)
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#data().finally(onfinally)
  }
}

function parseBody(text: string, meta: ResponseMeta | null): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch (e) {
    throw makeError(
      {
        kind: 'decode',
        message: `the response is not JSON (${(e as Error).message}): ${text.slice(0, 200)}`,
        status: meta?.status ?? null,
        requestId: meta?.requestId ?? null,
        attempts: meta?.attempts ?? null,
        idempotencyKey: meta?.idempotencyKey ?? null,
      },
      e,
    )
  }
}

/** A list page: an array of the items, whatever the wire shape, with what the server said of
 * the whole list. For drop-in use with the official SDK, the items are also under the list's
 * key (`page.campaigns` for `sms.campaigns.list`). */
export type Page<T, K extends string> = T[] & {
  /** The total, when the server reports it (envelope shape); else `null`. */
  readonly count: number | null
  /** The page size the server applied, when it says it. */
  readonly limit: number | null
  /** The offset of this page, when the server says it. */
  readonly offset: number | null
} & { readonly [key in K]: T[] }

/** Reads a list body in either shape (envelope or bare array) into a `Page`. */
export function pageOf<T, K extends string>(listKey: K): Parse<Page<T, K>> {
  return (value: unknown) => {
    let items: T[]
    let count: number | null = null
    let limit: number | null = null
    let offset: number | null = null
    if (Array.isArray(value)) {
      items = value as T[]
    } else if (value && typeof value === 'object' && Array.isArray((value as Record<string, unknown>)[listKey])) {
      const envelope = value as Record<string, unknown>
      items = envelope[listKey] as T[]
      const num = (v: unknown) => (typeof v === 'number' ? v : null)
      count = num(envelope.count)
      limit = num(envelope.limit)
      offset = num(envelope.offset)
    } else {
      throw makeError({ kind: 'decode', message: `the list has no "${listKey}" array` })
    }
    const hidden = (v: unknown): PropertyDescriptor => ({ value: v, enumerable: false })
    Object.defineProperties(items, {
      count: hidden(count),
      limit: hidden(limit),
      offset: hidden(offset),
      [listKey]: hidden(items),
    })
    return items as Page<T, K>
  }
}

/** How to walk a list: a page size, a cap on items, the list's own filters. */
export type IterParams<Q> = Omit<Q, 'limit' | 'offset'> & {
  /** Items asked for per page (default 100; above the server's cap is fine). */
  pageSize?: number
  /** The official SDK's docs call the page size `limit`; it is read as `pageSize`. */
  limit?: number
  /** Stop after this many items. */
  maxItems?: number
  /** Pages fetched at once once the total is known (default 8). */
  concurrency?: number
}

function flatQuery(query: Record<string, unknown> | undefined, skip?: ReadonlySet<string>): Flat {
  const out: Flat = []
  if (!query) return out
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || skip?.has(name)) continue
    if (Array.isArray(value)) {
      for (const v of value) out.push(name, String(v))
    } else {
      out.push(name, typeof value === 'object' ? JSON.stringify(value) : String(value))
    }
  }
  return out
}

/** The options checked once per call: what the native side takes, and the signal. */
interface CheckedOptions {
  native: native.CallOptions | undefined
  signal: AbortSignal | undefined
}

function checkOptions(options: RequestOptions | undefined): CheckedOptions {
  checkKeys(REQUEST_OPTION_KEYS, options)
  if (!options) return { native: undefined, signal: undefined }
  const out: native.CallOptions = {}
  if (options.timeoutMs !== undefined) out.timeoutMs = checkMillis('timeoutMs', options.timeoutMs)
  if (options.deadlineMs !== undefined) out.deadlineMs = checkMillis('deadlineMs', options.deadlineMs)
  if (options.maxRetries !== undefined) out.maxRetries = checkRetries(options.maxRetries)
  if (options.idempotencyKey !== undefined) out.idempotencyKey = checkIdempotencyKey(options.idempotencyKey)
  if (options.headers !== undefined) out.headers = stringRecord('headers', options.headers)
  return { native: out, signal: checkSignal(options.signal) }
}

function abortError(signal: AbortSignal, idempotencyKey: string | null | undefined): NixflexAbortError {
  return new NixflexAbortError(
    { kind: 'aborted', message: 'the request was aborted', idempotencyKey: idempotencyKey ?? null },
    { cause: signal.reason },
  )
}

/**
 * Runs `body` with the call's native options and an abort token fired by the signal (if any),
 * and always frees the token. A call that can be aborted gets its idempotency key here when the
 * caller gave none: an aborted mutation may have reached the server, and the key on the abort
 * error is what lets it be re-issued exactly once. (The core sends it on mutations only.)
 */
function headerKey(headers: Record<string, string> | undefined): string | undefined {
  const name = Object.keys(headers ?? {}).find((h) => h.toLowerCase() === 'idempotency-key')
  return name === undefined ? undefined : headers?.[name]
}

async function withSignal<R>(
  addon: typeof native,
  checked: CheckedOptions,
  body: (options: native.CallOptions | undefined) => Promise<R>,
): Promise<R> {
  const { signal } = checked
  if (!signal) return body(checked.native)
  if (signal.aborted) throw abortError(signal, checked.native?.idempotencyKey)
  const token = addon.createAbortToken()
  const options: native.CallOptions = { ...checked.native, abortToken: token }
  // The key the call will carry, known here so that an abort can report it: the caller's (an
  // option or an Idempotency-Key header, the official SDK's way), else a fresh one.
  options.idempotencyKey ??= headerKey(options.headers) ?? randomUUID()
  const onAbort = () => addon.abortToken(token)
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    return await body(options)
  } catch (e) {
    const err = fromNative(e)
    // The native side knows whether the key was sent (mutations only); keep what it reports
    // and add the signal's reason as the cause.
    if (err instanceof NixflexAbortError && signal.reason !== undefined && err.cause === undefined) {
      throw abortError(signal, err.idempotencyKey)
    }
    throw err
  } finally {
    signal.removeEventListener('abort', onAbort)
    addon.releaseToken(token)
  }
}

function pathValues(op: string, values: unknown[]): string[] {
  return values.map((v, i) => {
    if ((typeof v !== 'string' || v === '') && typeof v !== 'number') {
      throw makeError({
        kind: 'invalid_request',
        message: `${op}: path parameter ${i + 1} must be a non-empty string, got ${v === '' ? 'an empty string' : typeof v}`,
      })
    }
    return String(v)
  })
}

const WALK_KEYS: ReadonlySet<string> = new Set(['pageSize', 'limit', 'maxItems', 'concurrency'])

interface Walk {
  pageSize?: number
  maxItems?: number
  concurrency?: number
  filters?: Record<string, unknown>
}

function walkParams(op: string, params: unknown): Walk {
  if (params === undefined || params === null) return {}
  if (typeof params === 'number') return { pageSize: checkWhole('the page size', params, 1) }
  if (typeof params !== 'object' || Array.isArray(params)) {
    throw makeError({
      kind: 'invalid_request',
      message: `${op} iter(): pass a page size or { pageSize, maxItems, ...filters }, got ${Array.isArray(params) ? 'an array' : typeof params}`,
    })
  }
  const p = params as Record<string, unknown>
  // The walk owns `offset`: it always starts at the first item.
  if (p.offset !== undefined) {
    throw makeError({
      kind: 'invalid_request',
      message: `${op} iter() always starts at the first item and does not take offset; use list({ offset }) for one page`,
    })
  }
  if (p.pageSize !== undefined && p.limit !== undefined && p.pageSize !== p.limit) {
    throw makeError({ kind: 'invalid_request', message: `${op} iter(): pageSize and limit are the same setting; pass one` })
  }
  return {
    pageSize: checkWhole('the page size', p.pageSize ?? p.limit, 1),
    maxItems: checkWhole('maxItems', p.maxItems, 0),
    concurrency: checkWhole('concurrency', p.concurrency, 1),
    filters: p,
  }
}

/** The client's link to the native addon; the resources call through it. */
export class Transport {
  constructor(
    readonly addon: typeof native,
    readonly client: native.NativeClient,
  ) {}

  call<T>(
    op: string,
    path: unknown[],
    query: unknown,
    body: unknown,
    options: RequestOptions | undefined,
    parse: Parse<T>,
  ): APIPromise<T> {
    const run = async (withMeta: boolean) => {
      const checked = checkOptions(options)
      const values = pathValues(op, path)
      const flat = flatQuery(checkQuery(op, query))
      const text = body === undefined ? undefined : JSON.stringify(body)
      return withSignal<string | native.RawResponse>(this.addon, checked, (opts) =>
        withMeta ? this.client.callWithMeta(op, values, flat, text, opts) : this.client.call(op, values, flat, text, opts),
      ).catch((e: unknown) => {
        throw fromNative(e)
      })
    }
    return new APIPromise<T>(run, parse)
  }

  async *walk<T>(op: string, path: unknown[], params: unknown, options: RequestOptions | undefined): AsyncGenerator<T, void, undefined> {
    const walk = walkParams(op, params)
    const checked = checkOptions(options)
    let pager: native.NativePager
    try {
      pager = this.client.paginate(
        op,
        pathValues(op, path),
        flatQuery(walk.filters, WALK_KEYS),
        checked.native,
        walk.pageSize,
        walk.maxItems,
        walk.concurrency,
      )
    } catch (e) {
      throw fromNative(e)
    }
    try {
      for (;;) {
        const text = await withSignal(this.addon, checked, (opts) => pager.next(opts?.abortToken)).catch((e: unknown) => {
          throw fromNative(e)
        })
        if (text === null) return
        const page = JSON.parse(text) as { items: T[] }
        yield* page.items
      }
    } finally {
      pager.close()
    }
  }

  /** Calls any endpoint with the SDK's behaviour: for endpoints newer than the SDK. */
  request<T = unknown>(
    method: string,
    path: string,
    query: unknown,
    body: unknown,
    options: RequestOptions | undefined,
  ): Promise<WithResponse<T>> {
    const run = async () => {
      const checked = checkOptions(options)
      const flat = flatQuery(checkQuery('request', query))
      const text = body === undefined ? undefined : JSON.stringify(body)
      return withSignal(this.addon, checked, (opts) => this.client.request(method, path, flat, text, opts)).catch(
        (e: unknown) => {
          throw fromNative(e)
        },
      )
    }
    return new APIPromise<T>(run, (v) => v as T).withResponse()
  }
}

/** The base of every resource class. */
export abstract class Resource {
  /** @internal */
  protected readonly _transport: Transport

  constructor(transport: Transport) {
    this._transport = transport
    Object.defineProperty(this, '_transport', { enumerable: false })
  }

  /** @internal */
  protected _call<T>(
    op: string,
    path: unknown[],
    query: unknown,
    body: unknown,
    options: RequestOptions | undefined,
    parse?: Parse<T>,
  ): APIPromise<T> {
    return this._transport.call(op, path, query, body, options, parse ?? ((v) => v as T))
  }

  /** @internal */
  protected _iter<T>(
    op: string,
    path: unknown[],
    params: number | Record<string, unknown> | undefined,
    options: RequestOptions | undefined,
  ): AsyncGenerator<T, void, undefined> {
    return this._transport.walk<T>(op, path, params, options)
  }
}
