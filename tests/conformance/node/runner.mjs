// The Node runner of the conformance scenarios (tests/conformance/README.md).
//
//   NIXFLEX_MOCK_URL=http://127.0.0.1:PORT node tests/conformance/node/runner.mjs [prefix…]
//
// Every step goes through the package's public API as a user writes it: `import Nixflex from
// 'nixflex'`, camelCase resources and methods (`phone_numbers.callers.set` →
// `client.phoneNumbers.callers.set(number, caller, body, options)`), path parameters first in
// the spec's order, then the body or the query, then `RequestOptions` (`timeoutMs`, `maxRetries`,
// `idempotencyKey`, `headers`); `.withResponse()` when a step needs the attempts or the key;
// `for await` over `iter(...)`; `verifyWebhookSignature`, `constructWebhookEvent`,
// `signWebhook`. The mock's admin API is called with fetch (test plumbing).
//
// `nixflex` resolves through ./node_modules/nixflex, a link to bindings-node that run.py makes.

import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Nixflex, { NixflexError, constructWebhookEvent, signWebhook, verifyWebhookSignature } from 'nixflex'

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = join(HERE, '..', '..', '..')
const DEFAULT_TIMEOUT_MS = 10_000
const MISSING = Symbol('missing')

class ScenarioError extends Error {}

// --- spec/: path parameter order, which operations take a body or paginate -------------------

const SPEC = (() => {
  const doc = JSON.parse(readFileSync(join(ROOT, 'spec', 'openapi.json'), 'utf8'))
  const ops = {}
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue
      ops[op.operationId] = {
        pathParams: [...path.matchAll(/{([^}]+)}/g)].map((m) => m[1]),
        queryParams: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        hasBody: op.requestBody !== undefined,
        paginated: Boolean(op['x-paginated']),
      }
    }
  }
  return ops
})()

const camel = (name) => name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())

function resolve(client, op) {
  const parts = op.split('.')
  let target = client
  for (const part of parts.slice(0, -1)) {
    target = target[camel(part)]
    if (target === undefined) throw new ScenarioError(`no resource ${camel(part)} for ${op}`)
  }
  const name = camel(parts[parts.length - 1])
  if (typeof target[name] !== 'function') throw new ScenarioError(`no method ${name} for ${op}`)
  return [target, name]
}

// --- the mock's admin API --------------------------------------------------------------------

class Mock {
  constructor(url) {
    this.url = url.replace(/\/+$/, '')
  }

  async send(method, path, body) {
    const response = await fetch(this.url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    if (!response.ok) throw new ScenarioError(`mock admin ${method} ${path}: ${response.status} ${text.slice(0, 300)}`)
    return text ? JSON.parse(text) : null
  }

  createTenant() {
    return this.send('POST', '/__mock/tenants')
  }

  configure(keyId, patch) {
    return this.send('PUT', `/__mock/tenants/${keyId}/config`, patch)
  }

  arm(keyId, operation, script) {
    const body = { key_id: keyId }
    for (const [k, v] of Object.entries(script)) if (k !== 'operation') body[k] = v
    if (operation) body.operation = operation
    return this.send('POST', '/__mock/faults', body)
  }

  async journal(keyId) {
    return (await this.send('GET', `/__mock/journal?key_id=${encodeURIComponent(keyId)}`)).requests ?? []
  }

  counts(keyId) {
    return this.send('GET', `/__mock/tenants/${keyId}/counts`)
  }
}

// --- templates and the matcher ---------------------------------------------------------------

function token(name, scope) {
  if (name.startsWith('repeat:')) {
    const rest = name.slice('repeat:'.length)
    const i = rest.indexOf(':')
    return rest.slice(i + 1).repeat(Number(rest.slice(0, i)))
  }
  if (name.startsWith('http_date:')) return new Date(Date.now() + Number(name.slice(10)) * 1000).toUTCString()
  if (name.startsWith('unix:')) return Math.floor(Date.now() / 1000) + Number(name.slice(5))
  if (!(name in scope)) throw new ScenarioError(`\${${name}} is not a saved variable`)
  return scope[name]
}

function expand(value, scope) {
  if (typeof value === 'string') {
    const whole = /^\$\{([^}]*)\}$/.exec(value)
    if (whole) return token(whole[1], scope)
    return value.replace(/\$\{([^}]*)\}/g, (_, name) => {
      const v = token(name, scope)
      return typeof v === 'string' ? v : JSON.stringify(v)
    })
  }
  if (Array.isArray(value)) return value.map((v) => expand(v, scope))
  if (value && typeof value === 'object') {
    const out = {}
    for (const [k, v] of Object.entries(value)) out[k] = expand(v, scope)
    return out
  }
  return value
}

function short(value) {
  if (value === MISSING) return '(absent)'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 160 ? `${text.slice(0, 160)}…` : text
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)

function operator(op, arg, actual, at) {
  const present = actual !== MISSING && actual !== null && actual !== undefined
  const fail = (what) => {
    throw new ScenarioError(`${at}: expected ${what}, got ${short(actual)}`)
  }
  switch (op) {
    case '$present':
      if (arg !== present) fail(arg ? 'a value' : 'absent or null')
      return
    case '$len': {
      const len = Array.isArray(actual) ? actual.length : typeof actual === 'string' ? [...actual].length : isObject(actual) ? Object.keys(actual).length : null
      if (len === null) fail(`something of length ${arg}`)
      if (len !== arg) throw new ScenarioError(`${at}: expected length ${arg}, got ${len}`)
      return
    }
    case '$regex':
      if (typeof actual !== 'string' || !new RegExp(arg).test(actual)) fail(`a string matching /${arg}/`)
      return
    case '$gte':
    case '$lte':
      if (typeof actual !== 'number' || (op === '$gte' ? actual < arg : actual > arg)) fail(`${op === '$gte' ? '>=' : '<='} ${arg}`)
      return
    case '$ne':
      try {
        match(arg, actual, at)
      } catch {
        return
      }
      fail(`anything but ${short(arg)}`)
      return
    case '$type': {
      const ok =
        arg === 'null' ? !present
        : arg === 'integer' ? Number.isInteger(actual)
        : arg === 'array' ? Array.isArray(actual)
        : arg === 'object' ? isObject(actual)
        : typeof actual === arg
      if (!ok) fail(`a ${arg}`)
      return
    }
    case '$contains':
      if (Array.isArray(actual)) {
        for (const item of actual) {
          try {
            match(arg, item, at)
            return
          } catch {}
        }
        fail(`an array with an element matching ${short(arg)}`)
      } else if (!(typeof actual === 'string' && typeof arg === 'string' && actual.includes(arg))) {
        fail(`something containing ${short(arg)}`)
      }
      return
    case '$at':
      if (!Array.isArray(actual)) fail('an array')
      for (const [key, want] of Object.entries(arg)) {
        const index = Number(key) + (Number(key) < 0 ? actual.length : 0)
        if (!(index >= 0 && index < actual.length)) throw new ScenarioError(`${at}: no element at ${key} (length ${actual.length})`)
        match(want, actual[index], `${at}[${key}]`)
      }
      return
    case '$any':
      for (const option of arg) {
        try {
          match(option, actual, at)
          return
        } catch {}
      }
      fail(`any of ${short(arg)}`)
      return
    default:
      throw new ScenarioError(`${at}: unknown operator ${op}`)
  }
}

function match(expected, actual, at) {
  if (expected === null) {
    if (actual !== MISSING && actual !== null && actual !== undefined) throw new ScenarioError(`${at}: expected null or absent, got ${short(actual)}`)
  } else if (isObject(expected) && Object.keys(expected).length > 0 && Object.keys(expected).every((k) => k.startsWith('$'))) {
    for (const [op, arg] of Object.entries(expected)) operator(op, arg, actual, at)
  } else if (isObject(expected)) {
    if (!isObject(actual)) throw new ScenarioError(`${at}: expected an object, got ${short(actual)}`)
    for (const [k, v] of Object.entries(expected)) match(v, k in actual ? actual[k] : MISSING, `${at}.${k}`)
  } else if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) throw new ScenarioError(`${at}: expected an array, got ${short(actual)}`)
    if (expected.length !== actual.length) throw new ScenarioError(`${at}: expected ${expected.length} elements, got ${actual.length}: ${short(actual)}`)
    expected.forEach((w, i) => match(w, actual[i], `${at}[${i}]`))
  } else if (expected !== actual) {
    throw new ScenarioError(`${at}: expected ${short(expected)}, got ${short(actual)}`)
  }
}

function lookup(value, path) {
  for (const part of path.split('.')) {
    if (isObject(value) && part in value) value = value[part]
    else if (Array.isArray(value) && /^\d+$/.test(part) && Number(part) < value.length) value = value[Number(part)]
    else return MISSING
  }
  return value
}

// --- outcomes --------------------------------------------------------------------------------

function errorJson(e) {
  return {
    kind: e.kind,
    status: e.status || null,
    code: e.code,
    request_id: e.requestId ?? null,
    idempotency_key: e.idempotencyKey ?? null,
    attempts: e.attempts,
    retry_after_s: e.retryAfterSeconds ?? null,
    message: e.message,
    details: e.details,
  }
}

const failure = (e) => ({ ok: false, error: errorJson(e) })

function normalize(op, result) {
  if (SPEC[op].paginated && Array.isArray(result)) {
    return { items: [...result], count: result.count, limit: result.limit, offset: result.offset }
  }
  return result === undefined ? null : result
}

const sdkKey = (outcome) => outcome.meta?.idempotency_key ?? outcome.error?.idempotency_key ?? null

// What a step did, in the terms every runner shares: run.py compares these across languages.
function observe(kind, outcome) {
  if (kind === 'webhook') {
    const seen = { ok: outcome.ok, verify: outcome.verify }
    if (outcome.error) seen.kind = outcome.error.kind
    return seen
  }
  if (!outcome.ok) {
    const e = outcome.error
    // 'unknown_error' is the official SDKs' stand-in for a code the server did not send; Rust,
    // Kotlin and Swift say null.
    const code = e.code === 'unknown_error' ? null : e.code
    return { ok: false, kind: e.kind, status: e.status, code, attempts: e.attempts }
  }
  const seen = { ok: true }
  if (kind === 'iterate') seen.items = outcome.result.length
  return seen
}

function needsMeta(step) {
  const expect = step.expect ?? {}
  const saves = Object.values(step.save ?? {}).some((p) => String(p).startsWith('meta.'))
  const asks = 'attempts' in expect || 'idempotency_key' in expect || expect.journal?.same_idempotency_key === true
  return saves || (asks && !('error' in expect))
}

// --- one scenario ----------------------------------------------------------------------------

function describe(step) {
  for (const k of ['op', 'iterate']) if (typeof step[k] === 'string') return `${k} ${step[k]}`
  if (step.seed) return `seed ${step.seed.op}`
  return ['webhook', 'config', 'arm'].find((k) => k in step) ?? '?'
}

class Run {
  constructor(mock, scenario, tenant) {
    this.mock = mock
    this.scenario = scenario
    this.tenant = tenant
    this.vars = {}
    this.clientSettings = {}
    this.client = undefined
    this.trace = []
  }

  scope(index) {
    const scope = { ...this.vars, 'tenant.key_id': this.tenant.key_id, 'tenant.key_secret': this.tenant.key_secret, 'tenant.api_key': this.tenant.api_key }
    if (index !== undefined) scope.i = index
    return scope
  }

  buildClient(settings) {
    const options = { apiKey: settings.api_key ?? this.tenant.api_key, baseUrl: this.mock.url, timeoutMs: settings.timeout_ms ?? DEFAULT_TIMEOUT_MS }
    if (settings.max_retries !== undefined) options.maxRetries = settings.max_retries
    return new Nixflex(options)
  }

  getClient(step) {
    if (step.client) return this.buildClient(step.client)
    if (this.client === undefined) this.client = this.buildClient(this.clientSettings)
    return this.client
  }

  static requestOptions(options) {
    const out = {}
    for (const [k, v] of Object.entries(options ?? {})) {
      if (k === 'timeout_ms') out.timeoutMs = v
      else if (k === 'max_retries') out.maxRetries = v
      else if (k === 'idempotency_key') out.idempotencyKey = v
      else if (k === 'headers') out.headers = v
      else throw new ScenarioError(`unknown option ${k}`)
    }
    return Object.keys(out).length ? out : undefined
  }

  static pathArgs(op, step) {
    const path = { ...(step.path ?? {}) }
    const args = SPEC[op].pathParams.map((name) => {
      if (!(name in path)) throw new ScenarioError(`path parameter ${name} is missing`)
      const v = path[name]
      delete path[name]
      return v
    })
    if (Object.keys(path).length) throw new ScenarioError(`${op} has no path parameter ${Object.keys(path)}`)
    for (const name of Object.keys(step.query ?? {})) {
      if (!SPEC[op].queryParams.includes(name)) throw new ScenarioError(`${op} has no query parameter ${name}`)
    }
    return args
  }

  async call(step, op) {
    let client
    try {
      client = this.getClient(step)
    } catch (e) {
      if (e instanceof NixflexError) return failure(e)
      throw e
    }
    const [target, name] = resolve(client, op)
    const args = Run.pathArgs(op, step)
    if (SPEC[op].hasBody) args.push(step.body ?? {})
    else if (step.body !== undefined) throw new ScenarioError(`${op} takes no body`)
    else if (SPEC[op].queryParams.length) args.push(step.query ?? {})
    const options = Run.requestOptions(step.options)
    if (options !== undefined) args.push(options)
    try {
      const promise = target[name](...args)
      if (needsMeta(step)) {
        const { data, response } = await promise.withResponse()
        return {
          ok: true,
          result: normalize(op, data),
          meta: { attempts: response.attempts, idempotency_key: response.idempotencyKey, request_id: response.requestId, status: response.status },
        }
      }
      return { ok: true, result: normalize(op, await promise), meta: {} }
    } catch (e) {
      if (e instanceof NixflexError) return failure(e)
      throw e
    }
  }

  async iterate(step, op) {
    let client
    try {
      client = this.getClient(step)
    } catch (e) {
      if (e instanceof NixflexError) return failure(e)
      throw e
    }
    const [target] = resolve(client, op)
    const args = Run.pathArgs(op, step)
    const params = { ...(step.query ?? {}) }
    if (step.page_size !== undefined) params.pageSize = step.page_size
    if (step.max_items !== undefined) params.maxItems = step.max_items
    args.push(params)
    const options = Run.requestOptions(step.options)
    if (options !== undefined) args.push(options)
    const items = []
    try {
      for await (const item of target.iter(...args)) items.push(item)
    } catch (e) {
      if (e instanceof NixflexError) return failure(e)
      throw e
    }
    return { ok: true, result: items }
  }

  static webhook(spec) {
    const body = spec.body
    const header = spec.sign ? signWebhook(spec.sign.body ?? body, spec.sign.secret, spec.sign.timestamp) : (spec.header ?? null)
    const options = { toleranceSeconds: spec.tolerance_s ?? 300 }
    if (spec.now !== undefined) options.now = spec.now
    const verify = spec.secrets.map((s) => verifyWebhookSignature(body, header ?? '', s, options))
    try {
      const event = constructWebhookEvent(body, header, spec.secrets, options)
      return { header, verify, ok: true, event, error: null }
    } catch (e) {
      if (!(e instanceof NixflexError)) throw e
      return { header, verify, ok: false, event: null, error: errorJson(e) }
    }
  }

  async checkJournal(want, op, since, outcome) {
    op = want.operation ?? op
    const entries = (await this.mock.journal(this.tenant.key_id)).filter((e) => (e.seq ?? 0) > since && (!op || e.operation === op))
    const keys = entries.map((e) => e.headers?.['idempotency-key'] ?? null)
    for (const [k, v] of Object.entries(want)) {
      const at = `journal.${k}`
      if (k === 'operation') continue
      if (k === 'count') match(v, entries.length, at)
      else if (k === 'same_idempotency_key') {
        if (v !== true) continue
        if (!keys.length || !keys[0]) throw new ScenarioError(`${at}: the first request carried no Idempotency-Key (${entries.length} requests)`)
        const other = keys.find((x) => x !== keys[0])
        if (other !== undefined) throw new ScenarioError(`${at}: keys differ between attempts: ${keys[0]} then ${other}`)
        const reported = sdkKey(outcome)
        if (reported !== keys[0]) throw new ScenarioError(`${at}: the SDK reports ${reported}, the server saw ${keys[0]}`)
      } else if (k === 'idempotency_key') {
        if (v === false) {
          const carried = keys.find((x) => x)
          if (carried) throw new ScenarioError(`${at}: expected no key, a request carried ${carried}`)
        } else if (typeof v === 'string') {
          if (!entries.length || keys.some((x) => x !== v)) throw new ScenarioError(`${at}: expected ${v} on every request, got ${JSON.stringify(keys)}`)
        } else throw new ScenarioError(`${at}: expected false or a string`)
      } else if (k === 'gaps_ms') {
        // Between the arrivals of consecutive requests: how long the SDK waited.
        match(v, entries.slice(1).map((e, i) => e.at_ms - entries[i].at_ms), at)
      } else if (k === 'statuses') match(v, entries.map((e) => e.status), at)
      else if (k === 'replayed') match(v, entries.map((e) => e.replayed), at)
      else if (['path', 'decoded_path_params', 'query', 'headers', 'body'].includes(k)) {
        if (!entries.length) throw new ScenarioError(`${at}: no request reached the mock`)
        entries.forEach((e, i) => match(v, k in e ? e[k] : MISSING, `${at}[${i}]`))
      } else throw new ScenarioError(`unknown journal expectation ${k}`)
    }
  }

  async check(expect, outcome, op, since) {
    const ok = outcome.ok
    if (!('verify' in outcome)) {
      if (!('error' in expect) && !ok) throw new ScenarioError(`unexpected error: ${short(outcome.error)}`)
      if ('error' in expect && ok) throw new ScenarioError(`expected an error, got the result ${short(outcome.result)}`)
    } else if ('error' in expect && ok) throw new ScenarioError(`expected the strict check to fail, got the event ${short(outcome.event)}`)
    else if ('event' in expect && !ok) throw new ScenarioError(`expected an event, the strict check failed: ${short(outcome.error)}`)
    for (const [k, v] of Object.entries(expect)) {
      if (['result', 'error', 'header', 'verify', 'event'].includes(k)) match(v, k in outcome ? outcome[k] : MISSING, k)
      else if (k === 'attempts') match(v, ok ? (outcome.meta.attempts ?? MISSING) : outcome.error.attempts, k)
      else if (k === 'idempotency_key') match(v, sdkKey(outcome), k)
      else if (k === 'distinct') {
        const values = new Set(outcome.result.map((item) => JSON.stringify(lookup(item, v.field))))
        match(v.count, values.size, 'distinct.count')
      } else if (k === 'journal') await this.checkJournal(v, op, since ?? 0, outcome)
      else if (k === 'counts') match(v, await this.mock.counts(this.tenant.key_id), 'counts')
      else throw new ScenarioError(`unknown expectation ${k}`)
    }
  }

  save(save, outcome) {
    for (const [name, path] of Object.entries(save ?? {})) {
      const value = lookup(outcome, path)
      if (value === MISSING) throw new ScenarioError(`cannot save ${name}: nothing at ${path}`)
      this.vars[name] = value
    }
  }

  async step(raw) {
    const kind = ['op', 'iterate', 'seed', 'webhook', 'config', 'arm'].find((k) => k in raw)
    if (!kind) throw new ScenarioError('a step needs one of op, iterate, seed, webhook, config, arm')
    if (kind === 'seed') {
      let last = {}
      for (let i = 1; i <= raw.seed.count; i++) {
        const step = expand(raw.seed, this.scope(i))
        last = await this.call(step, raw.seed.op)
        if (!last.ok) throw new ScenarioError(`seed ${raw.seed.op} #${i} failed: ${short(last.error)}`)
      }
      this.save(raw.save, last)
      return
    }
    const step = expand(raw, this.scope())
    if (kind === 'config') return void (await this.mock.configure(this.tenant.key_id, step.config))
    if (kind === 'arm') return void (await this.mock.arm(this.tenant.key_id, step.arm.operation, step.arm))
    const op = kind === 'op' || kind === 'iterate' ? step[kind] : undefined
    if (step.faults) await this.mock.arm(this.tenant.key_id, step.fault_operation ?? op, { faults: step.faults })
    const expect = step.expect ?? {}
    let since
    if ('journal' in expect) since = Math.max(0, ...(await this.mock.journal(this.tenant.key_id)).map((e) => e.seq ?? 0))
    const outcome = kind === 'op' ? await this.call(step, op) : kind === 'iterate' ? await this.iterate(step, op) : Run.webhook(step.webhook)
    this.trace.push(observe(kind, outcome))
    await this.check(expect, outcome, op, since)
    this.save(step.save, outcome)
  }

  async run() {
    if (this.scenario.config) await this.mock.configure(this.tenant.key_id, this.scenario.config)
    this.clientSettings = expand(this.scenario.client ?? {}, this.scope())
    let i = 0
    for (const step of this.scenario.steps) {
      i++
      try {
        await this.step(step)
      } catch (e) {
        const why = e instanceof ScenarioError ? e.message : `${e?.name ?? 'Error'}: ${e?.message ?? e}`
        throw new ScenarioError(`step ${i} (${describe(step)}): ${why}`)
      }
    }
  }
}

async function runOne(mock, scenario) {
  let run
  try {
    const tenant = await mock.createTenant()
    run = new Run(mock, scenario, tenant)
    await run.run()
    return [true, '', run.trace]
  } catch (e) {
    return [false, e instanceof ScenarioError ? e.message : String(e?.stack ?? e).split('\n').slice(0, 3).join(' | '), run?.trace ?? []]
  }
}

async function main() {
  const url = process.env.NIXFLEX_MOCK_URL
  if (!url) {
    console.error('set NIXFLEX_MOCK_URL to the mock server\'s URL')
    process.exit(2)
  }
  const dir = process.env.NIXFLEX_CONFORMANCE_SCENARIOS ?? join(HERE, '..', 'scenarios')
  const prefixes = process.argv.slice(2)
  const scenarios = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).scenarios)
    .filter((s) => prefixes.length === 0 || prefixes.some((p) => s.name.startsWith(p)))
  const mock = new Mock(url)
  let failed = 0
  let next = 0
  const worker = async () => {
    while (next < scenarios.length) {
      const scenario = scenarios[next++]
      const [ok, detail, trace] = await runOne(mock, scenario)
      if (!ok) failed++
      process.stdout.write(`${JSON.stringify({ scenario: scenario.name, language: 'node', ok, detail, trace })}\n`)
    }
  }
  await Promise.all(Array.from({ length: 4 }, worker))
  process.exitCode = failed ? 1 : 0
}

await main()
