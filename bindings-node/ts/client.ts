// The client: configuration (from code, then the environment), the resources, and the static
// `Nixflex.createKey` of the official SDK.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as native from '../native.js'
import { APIPromise, type RequestOptions, Transport, type WithResponse, checkMillis, checkRetries, stringRecord } from './core'
import { fromNative, makeError } from './errors'
import { Resources } from './generated/resources'
import type * as T from './generated/types'

/** Options of a client. Unset ones come from the environment, then the defaults. */
export interface NixflexClientOptions {
  /** `nxf_…:nxfs_…`; defaults to `NIXFLEX_API_KEY`. */
  apiKey?: string
  /** The API's base URL without `/v1` (a mock server, a proxy); defaults to `NIXFLEX_BASE_URL`,
   * then `https://api.nixflex.com`. */
  baseUrl?: string
  /** Timeout of each attempt, in milliseconds (default 30000). */
  timeoutMs?: number
  /** The official SDK's docs call `timeoutMs` `timeout` (milliseconds); read the same. */
  timeout?: number
  /** Bound on all attempts and waits of one call together, in milliseconds (default none). */
  deadlineMs?: number
  /** Retries after the first attempt, on connection failures, timeouts, 408, 429 and 5xx
   * (default 2). Every mutation carries an idempotency key, so retrying it is safe. */
  maxRetries?: number
  /** Headers sent with every request. */
  headers?: Record<string, string>
}

/** The version of this package, as sent in the `User-Agent`. */
export const VERSION: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version?: string }
    return pkg.version ?? '0.0.0'
  } catch {
    return '0.0.0'
  }
})()

let loggingChecked = false

function env(name: string): string | undefined {
  const value = process.env[name]
  return value === undefined || value.trim() === '' ? undefined : value
}

function nativeClient(options: NixflexClientOptions, anonymous = false): native.NativeClient {
  if (!loggingChecked) {
    loggingChecked = true
    native.initLogging(env('NIXFLEX_LOG'))
  }
  if (options === null || typeof options !== 'object') {
    throw makeError({ kind: 'configuration', message: 'new Nixflex(options): options must be an object' })
  }
  const timeout = options.timeoutMs ?? options.timeout
  const config: native.ClientOptions = {
    version: VERSION,
    baseUrl: options.baseUrl ?? env('NIXFLEX_BASE_URL'),
  }
  if (anonymous) config.anonymous = true
  else config.apiKey = options.apiKey ?? env('NIXFLEX_API_KEY') ?? ''
  if (timeout !== undefined) config.timeoutMs = checkMillis('timeoutMs', timeout)
  if (options.deadlineMs !== undefined) config.deadlineMs = checkMillis('deadlineMs', options.deadlineMs)
  if (options.maxRetries !== undefined) config.maxRetries = checkRetries(options.maxRetries)
  if (options.headers !== undefined) config.headers = stringRecord(options.headers)
  try {
    return new native.NativeClient(config)
  } catch (e) {
    throw fromNative(e)
  }
}

/**
 * The Nixflex client.
 *
 * ```ts
 * import Nixflex from 'nixflex'
 * const client = new Nixflex({ apiKey: process.env.NIXFLEX_API_KEY })
 * const agent = await client.agents.create({ name: 'Front desk' })
 * ```
 */
export class Nixflex extends Resources {
  /** @internal */
  readonly #transport: Transport

  /** Checks the key's format and the base URL at once (a `NixflexError` of kind
   * `configuration` when wrong); the key's secret never appears in any message. */
  constructor(options: NixflexClientOptions = {}) {
    const transport = new Transport(native, nativeClient(options))
    super(transport)
    this.#transport = transport
  }

  /**
   * Calls any endpoint with the SDK's behaviour (auth, retries, idempotency, errors), for
   * endpoints newer than the SDK. `path` starts with `/v1/`; encode its segments yourself.
   */
  request<R = unknown>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    params: { query?: Record<string, unknown>; body?: unknown } = {},
    options?: RequestOptions,
  ): Promise<WithResponse<R>> {
    return this.#transport.request<R>(method, path, params.query, params.body, options)
  }

  /**
   * Creates an API key (`POST /v1/keys`, which needs none). As the official SDK:
   * `Nixflex.createKey({ name, email }, baseUrl)`.
   */
  static createKey(
    params: T.KeyCreate = {},
    baseUrl?: string,
    options?: RequestOptions & Omit<NixflexClientOptions, 'apiKey' | 'baseUrl'>,
  ): APIPromise<T.KeyResponse> {
    let transport: Transport
    try {
      transport = new Transport(native, nativeClient({ ...options, baseUrl }, true))
    } catch (e) {
      return new APIPromise<T.KeyResponse>(() => Promise.reject(e), (v) => v as T.KeyResponse)
    }
    return transport.call('keys.create', [], undefined, params ?? {}, options, (v) => v as T.KeyResponse)
  }
}
