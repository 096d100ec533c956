// The client: configuration (from code, then the environment), the resources, and the static
// `Nixflex.createKey` of the official SDK.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as native from '../native.js'
import { APIPromise, type RequestOptions, Transport, type WithResponse } from './core'
import { fromNative, makeError } from './errors'
import { Resources } from './generated/resources'
import { CLIENT_OPTION_KEYS, REQUEST_OPTION_KEYS, checkKeys, checkMillis, checkRetries, stringRecord } from './validate'
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
  /** Retries after the first attempt (default 2), on connection failures, timeouts, 408, 429,
   * 500, 502, 503 and 504, never on other statuses. Every mutation carries an idempotency key,
   * so retrying it is safe. */
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

const CREATE_KEY_OPTION_KEYS = {
  what: 'createKey options',
  keys: new Set([...REQUEST_OPTION_KEYS.keys, ...CLIENT_OPTION_KEYS.keys].filter((k) => k !== 'apiKey' && k !== 'baseUrl')),
  hints: REQUEST_OPTION_KEYS.hints,
}

const REQUEST_PARAM_KEYS = { what: 'request() params', keys: new Set(['query', 'body']) }

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
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw makeError({ kind: 'configuration', message: 'new Nixflex(options): options must be an object' })
  }
  checkKeys(CLIENT_OPTION_KEYS, options)
  if (options.timeoutMs !== undefined && options.timeout !== undefined && options.timeoutMs !== options.timeout) {
    throw makeError({ kind: 'configuration', message: 'timeout is another name for timeoutMs; pass one' })
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
  if (options.headers !== undefined) config.headers = stringRecord('headers', options.headers)
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
    try {
      checkKeys(REQUEST_PARAM_KEYS, params)
    } catch (e) {
      return Promise.reject(e)
    }
    return this.#transport.request<R>(method, path, params?.query, params?.body, options)
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
    // The options mix the client's settings and the call's; each side gets its own keys.
    const clientOptions: Record<string, unknown> = { baseUrl }
    const callOptions: Record<string, unknown> = {}
    try {
      checkKeys(CREATE_KEY_OPTION_KEYS, options)
      for (const [key, value] of Object.entries(options ?? {})) {
        ;(REQUEST_OPTION_KEYS.keys.has(key) ? callOptions : clientOptions)[key] = value
      }
      transport = new Transport(native, nativeClient(clientOptions, true))
    } catch (e) {
      return new APIPromise<T.KeyResponse>(() => Promise.reject(e), (v) => v as T.KeyResponse)
    }
    return transport.call('keys.create', [], undefined, params ?? {}, callOptions, (v) => v as T.KeyResponse)
  }
}
