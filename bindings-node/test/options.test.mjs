// Per-request options, metadata, abort and configuration from the environment.
import test from 'node:test'
import assert from 'node:assert/strict'
import Nixflex, { APIPromise, NixflexAbortError, NixflexTimeoutError } from 'nixflex'
import { sleep, tenant } from './helpers.mjs'

test('idempotencyKey and headers reach the wire; every mutation carries a key, the same on every attempt', async () => {
  const t = await tenant()
  const client = t.client({ headers: { 'x-default': 'd' } })
  await client.agents.create({ name: 'A' }, { idempotencyKey: 'my-key-123', headers: { 'x-trace': 'abc' } })
  const [sent] = await t.journal('agents.create')
  assert.equal(sent.headers['idempotency-key'], 'my-key-123')
  assert.equal(sent.headers['x-trace'], 'abc')
  assert.equal(sent.headers['x-default'], 'd')
  assert.match(sent.headers['user-agent'], /^nixflex-node\/0\.1\.0 \(core /)

  await t.faults('agents.create', [{ status: 503 }, { status: 500 }])
  const { response } = await client.agents.create({ name: 'B' }).withResponse()
  assert.equal(response.attempts, 3)
  const keys = (await t.journal('agents.create')).slice(1).map((e) => e.headers['idempotency-key'])
  assert.equal(keys.length, 3)
  assert.equal(new Set(keys).size, 1, 'one key for all attempts')
  assert.equal(response.idempotencyKey, keys[0])
})

test('maxRetries and timeoutMs per request override the client', async () => {
  const t = await tenant()
  const client = t.client({ maxRetries: 5 })
  await t.faults('usage.get', [{ status: 503 }, { status: 503 }])
  await assert.rejects(client.usage.get({ maxRetries: 0 }), { status: 503, attempts: 1 })
  await t.clearFaults()
  await t.faults('usage.get', [{ delay_ms: 1500 }])
  await assert.rejects(client.usage.get({ timeoutMs: 100, maxRetries: 0 }), NixflexTimeoutError)
  await assert.rejects(client.usage.get({ maxRetries: -1 }), { kind: 'configuration' })
})

test('withResponse() gives status, headers, request id and attempts', async () => {
  const t = await tenant()
  const client = t.client()
  const promise = client.agents.create({ name: 'Meta' })
  assert.ok(promise instanceof Promise && promise instanceof APIPromise)
  const { data, response, requestId } = await promise.withResponse()
  assert.equal(data.name, 'Meta')
  assert.equal(response.status, 201)
  assert.match(response.requestId, /^req_/)
  assert.equal(requestId, response.requestId)
  assert.equal(response.headers['x-request-id'], response.requestId)
  assert.equal(response.attempts, 1)
  assert.ok(response.idempotencyKey)
  // Awaiting the same promise afterwards gives the data, from the same single request.
  assert.equal((await promise).agent_id, data.agent_id)
  assert.equal((await t.journal('agents.create')).length, 1)
  // Too late: the request already went out without its metadata.
  const plain = client.usage.get()
  await plain
  await assert.rejects(plain.withResponse(), /before awaiting/)
  // A failing call asked for with its metadata rejects once, with no stray unhandled rejection.
  const unhandled = []
  const onUnhandled = (e) => unhandled.push(e)
  process.on('unhandledRejection', onUnhandled)
  await assert.rejects(client.agents.get('nope').withResponse(), { status: 404 })
  await new Promise((r) => setTimeout(r, 50))
  process.off('unhandledRejection', onUnhandled)
  assert.deepEqual(unhandled, [])
  // then/catch/finally behave as a promise's.
  assert.equal(await client.usage.get().then(() => 'ok'), 'ok')
  assert.equal(await client.agents.get('nope').catch((e) => e.status), 404)
})

/** Waits until the mock has journaled `n` requests of `operation` (it journals on answering). */
async function journaled(t, operation, n) {
  for (let polls = 0; polls < 2000; polls++) {
    const entries = await t.journal(operation)
    if (entries.length >= n) return entries
    await sleep(5)
  }
  throw new Error(`the mock never journaled ${n} ${operation} request(s)`)
}

test('an aborted signal rejects with NixflexAbortError and is not retried', async () => {
  const t = await tenant()
  const client = t.client({ maxRetries: 3 })
  // Already aborted: nothing is sent.
  await assert.rejects(client.usage.get({ signal: AbortSignal.abort() }), NixflexAbortError)
  assert.equal((await t.journal('usage.get')).length, 0)

  // Aborted in flight.
  await t.faults('agents.create', [{ delay_ms: 1500 }, { delay_ms: 1500 }])
  const controller = new AbortController()
  const pending = client.agents.create({ name: 'Slow' }, { signal: controller.signal, idempotencyKey: 'abort-key-1' })
  setTimeout(() => controller.abort(new Error('user gave up')), 150)
  const err = await pending.catch((e) => e)
  assert.ok(err instanceof NixflexAbortError, err)
  assert.equal(err.code, 'ABORT_ERR')
  assert.equal(err.name, 'NixflexAbortError')
  assert.equal(err.idempotencyKey, 'abort-key-1')
  assert.equal(err.cause?.message, 'user gave up')

  // Aborted while waiting to retry: the server asks for 0.5 s; the abort comes once the first
  // answer is in, and the journal is read well after the retry would have gone out.
  await t.faults('usage.get', [{ status: 503, retry_after_ms: 500 }])
  const c2 = new AbortController()
  const p2 = client.usage.get({ signal: c2.signal })
  await journaled(t, 'usage.get', 1)
  c2.abort()
  await assert.rejects(p2, NixflexAbortError)
  await sleep(1500)
  assert.equal((await t.journal('usage.get')).length, 1, 'no retry after the abort')

  // A signal that never fires changes nothing, and leaves no listener behind.
  const idle = new AbortController()
  await client.usage.get({ signal: idle.signal })
  await client.usage.get({ signal: idle.signal })
})

test('a mutation aborted in flight does nothing, and its key re-issues it exactly once', async () => {
  const t = await tenant()
  const client = t.client({ maxRetries: 0 })
  // The mock does the work only after the delay, so an abort that really stops the request
  // (dropping the connection) leaves nothing created.
  await t.faults('agents.create', [{ delay_ms: 1000 }])
  const controller = new AbortController()
  const pending = client.agents.create({ name: 'Aborted' }, { signal: controller.signal })
  await sleep(200)
  controller.abort()
  const err = await pending.catch((e) => e)
  assert.ok(err instanceof NixflexAbortError, err)
  assert.match(err.idempotencyKey ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a key although the caller gave none')
  await sleep(1500)
  assert.equal((await t.counts()).agents, 0, 'the aborted request did no work')
  assert.equal((await t.journal('agents.create')).length, 0)

  const first = await client.agents.create({ name: 'Aborted' }, { idempotencyKey: err.idempotencyKey })
  const again = await client.agents.create({ name: 'Aborted' }, { idempotencyKey: err.idempotencyKey })
  assert.equal(again.agent_id, first.agent_id)
  assert.equal((await t.counts()).agents, 1)
  const sent = (await t.journal('agents.create')).map((e) => e.headers['idempotency-key'])
  assert.deepEqual(sent, [err.idempotencyKey, err.idempotencyKey])

  // A read aborted in flight reports no key: none was sent.
  await t.faults('usage.get', [{ delay_ms: 1000 }])
  const c2 = new AbortController()
  const read = client.usage.get({ signal: c2.signal })
  await sleep(200)
  c2.abort()
  const readErr = await read.catch((e) => e)
  assert.ok(readErr instanceof NixflexAbortError)
  assert.equal(readErr.idempotencyKey, undefined)
})

test('with a signal, a key given as an Idempotency-Key header is the key of the call', async () => {
  const t = await tenant()
  const client = t.client()
  const signal = new AbortController().signal
  const agent = await client.agents.create({ name: 'Keyed' }, { signal, headers: { 'Idempotency-Key': 'order-7' } })
  assert.equal(agent.name, 'Keyed')
  const sent = (await t.journal('agents.create')).map((e) => e.headers['idempotency-key'])
  assert.deepEqual(sent, ['order-7'])
})

test('deadlineMs per request bounds all attempts; the client takes timeout as timeoutMs', async () => {
  const t = await tenant()
  // Each attempt may take 10 s; the mock answers after 2 s; only the deadline can end it.
  await t.faults('usage.get', [{ delay_ms: 2000 }])
  const err = await t
    .client()
    .usage.get({ deadlineMs: 300 })
    .catch((e) => e)
  assert.ok(err instanceof NixflexTimeoutError, err)
  assert.equal(err.kind, 'timeout')

  // The official docs' `timeout`: without it the default 30 s would let this call succeed.
  await t.faults('usage.get', [{ delay_ms: 2000 }])
  const client = new Nixflex({ apiKey: t.apiKey, baseUrl: t.baseUrl, timeout: 300, maxRetries: 0 })
  await assert.rejects(client.usage.get(), NixflexTimeoutError)
})

test('iterators take a signal too', async () => {
  const t = await tenant()
  const client = t.client()
  await client.agents.create({ name: 'One' })
  const controller = new AbortController()
  controller.abort()
  await assert.rejects(async () => {
    for await (const a of client.agents.iter(10, { signal: controller.signal })) void a
  }, NixflexAbortError)
})

test('apiKey and baseUrl come from NIXFLEX_API_KEY and NIXFLEX_BASE_URL', async () => {
  const t = await tenant()
  const saved = { key: process.env.NIXFLEX_API_KEY, url: process.env.NIXFLEX_BASE_URL }
  process.env.NIXFLEX_API_KEY = t.apiKey
  process.env.NIXFLEX_BASE_URL = t.baseUrl
  try {
    const client = new Nixflex()
    assert.equal(typeof (await client.usage.get()).total_calls, 'number')
    delete process.env.NIXFLEX_API_KEY
    assert.throws(() => new Nixflex(), { kind: 'configuration', message: /NIXFLEX_API_KEY/ })
  } finally {
    for (const [k, v] of [['NIXFLEX_API_KEY', saved.key], ['NIXFLEX_BASE_URL', saved.url]]) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
})

test('client.request calls any endpoint with the same behaviour', async () => {
  const t = await tenant()
  const { data, response } = await t.client().request('GET', '/v1/usage')
  assert.equal(typeof data.total_calls, 'number')
  assert.equal(response.status, 200)
})
