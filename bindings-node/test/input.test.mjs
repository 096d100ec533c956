// Bad input is a typed error that names the problem, before anything is sent; nothing the
// caller passed is dropped or coerced without a word.
import test from 'node:test'
import assert from 'node:assert/strict'
import Nixflex, {
  NixflexError,
  NixflexInvalidRequestError,
  constructWebhookEvent,
  signWebhook,
  verifyWebhookSignature,
} from 'nixflex'
import { tenant } from './helpers.mjs'

const SECRET = 'nxfs_testsecret_0123456789abcdef'
const BODY = '{"event":"call.completed","call_id":"CA123"}'
const T = 1755300000
const HEADER = signWebhook(BODY, SECRET, T)

/** The error `f` throws, synchronously. */
function thrown(f) {
  try {
    f()
  } catch (e) {
    return e
  }
  assert.fail('expected an error')
}

async function walk(iterable) {
  for await (const item of iterable) void item
}

test('unknown request options are rejected with the likely name, and nothing is sent', async () => {
  const t = await tenant()
  const client = t.client()
  for (const [options, hint] of [
    [{ timeout: 5 }, 'timeoutMs'],
    [{ idempotency_key: 'k-1' }, 'idempotencyKey'],
    [{ max_retries: 1 }, 'maxRetries'],
    [{ sigal: null }, undefined],
  ]) {
    const name = Object.keys(options)[0]
    await assert.rejects(client.agents.create({ name: 'X' }, options), (e) => {
      assert.ok(e instanceof NixflexError, e)
      assert.equal(e.kind, 'configuration')
      assert.ok(e.message.includes(`"${name}"`), e.message)
      if (hint) assert.ok(e.message.includes(`"${hint}"`), e.message)
      return true
    })
  }
  await assert.rejects(client.usage.get('fast'), { kind: 'configuration', message: /request options must be an object, got string/ })
  await assert.rejects(client.usage.get({ idempotencyKey: 42 }), { kind: 'configuration', message: /idempotencyKey/ })
  await assert.rejects(client.usage.get({ signal: {} }), { kind: 'configuration', message: /AbortSignal/ })
  await assert.rejects(client.usage.get({ headers: 'x-a: b' }), { kind: 'configuration', message: /headers/ })
  await assert.rejects(walk(client.agents.iter(10, { timeout: 5 })), { kind: 'configuration', message: /"timeout"/ })
  assert.deepEqual(await t.journal(), [], 'no request went out')
})

test('unknown client options are rejected too', () => {
  const apiKey = 'nxf_0123456789abcdef0123456789abcdef:nxfs_example'
  assert.throws(() => new Nixflex({ apiKey, base_url: 'http://x' }), { kind: 'configuration', message: /"base_url".*"baseUrl"/ })
  assert.throws(() => new Nixflex({ apiKey, timeout: 100, timeoutMs: 200 }), { kind: 'configuration', message: /pass one/ })
  assert.throws(() => new Nixflex({ apiKey, headers: ['x'] }), { kind: 'configuration', message: /headers/ })
  assert.ok(new Nixflex({ apiKey, timeout: 100 }))
})

test('a query that is not an object is rejected, not sent as 0=x', async () => {
  const t = await tenant()
  const client = t.client()
  const err = await client.agents.list('x').catch((e) => e)
  assert.ok(err instanceof NixflexInvalidRequestError, err)
  assert.match(err.message, /agents\.list: the query must be an object.*got string/)
  await assert.rejects(client.calls.list([1, 2]), { kind: 'invalid_request', message: /got an array/ })
  assert.deepEqual(await t.journal(), [])
  assert.equal((await client.agents.list({ limit: 1 })).length, 0)
})

test('client.request takes { query, body } and nothing else', async () => {
  const t = await tenant()
  const client = t.client()
  await assert.rejects(client.request('GET', '/v1/agents', { limit: 1 }), { kind: 'configuration', message: /"limit".*known: query, body/ })
  await assert.rejects(client.request('GET', '/v1/agents', { query: 'limit=1' }), { kind: 'invalid_request', message: /query must be an object/ })
  assert.deepEqual(await t.journal(), [])
  const { response } = await client.request('GET', '/v1/agents', { query: { limit: 1 } })
  assert.equal(response.status, 200)
  const [sent] = await t.journal()
  assert.equal(JSON.stringify(sent).includes('limit=1'), true, JSON.stringify(sent))
})

test('iter() rejects what it cannot honour: offset, a second page size, bad numbers', async () => {
  const t = await tenant()
  const client = t.client()
  await client.agents.create({ name: 'One' })
  const cases = [
    [{ offset: 5 }, /does not take offset/],
    [{ pageSize: 10, limit: 20 }, /pageSize and limit/],
    [{ concurrency: 'x' }, /concurrency must be a whole number from 1, got string/],
    [{ concurrency: 0 }, /concurrency must be a whole number from 1, got 0/],
    [{ maxItems: -1 }, /maxItems/],
    [{ pageSize: 2.5 }, /page size/],
    ['ten', /pass a page size or/],
    [0, /page size/],
  ]
  for (const [params, message] of cases) {
    await assert.rejects(walk(client.agents.iter(params)), (e) => {
      assert.ok(e instanceof NixflexInvalidRequestError, e)
      assert.match(e.message, message)
      return true
    })
  }
  assert.equal((await t.journal('agents.list')).length, 0, 'no page was asked for')
  // The same value under both names is fine.
  let n = 0
  for await (const a of client.agents.iter({ pageSize: 5, limit: 5 })) n += a ? 1 : 0
  assert.equal(n, 1)
})

test('webhook checks: a body that is not raw, bad secrets and bad options are typed errors', () => {
  for (const body of [{ event: 'x' }, null, 42]) {
    const e = thrown(() => constructWebhookEvent(body, HEADER, SECRET, { now: T }))
    assert.ok(e instanceof NixflexInvalidRequestError, e)
    assert.match(e.message, /raw text or bytes/)
  }
  // An ArrayBuffer is raw bytes: it is checked, not refused.
  const ab = new TextEncoder().encode(BODY).buffer
  assert.equal(constructWebhookEvent(ab, HEADER, SECRET, { now: T }).call_id, 'CA123')
  assert.equal(verifyWebhookSignature(ab, HEADER, SECRET, { now: T }), true)

  for (const secrets of [[], [''], [SECRET, 7], 7]) {
    const e = thrown(() => constructWebhookEvent(BODY, HEADER, secrets, { now: T }))
    assert.ok(e instanceof NixflexInvalidRequestError, `${JSON.stringify(secrets)}: ${e}`)
    assert.match(e.message, /secrets/)
  }
  assert.match(thrown(() => constructWebhookEvent(BODY, [HEADER], SECRET, { now: T })).message, /header must be a string, got an array/)

  for (const [options, message] of [
    [{ toleranceSeconds: Infinity }, /toleranceSeconds.*Infinity/],
    [{ toleranceSeconds: -1 }, /toleranceSeconds.*-1/],
    [{ toleranceSeconds: NaN }, /toleranceSeconds.*NaN/],
    [{ toleranceSeconds: '300' }, /toleranceSeconds/],
    [{ now: NaN }, /now must be/],
    [{ now: 'soon' }, /now must be/],
    [{ tolerance: 10 }, /unknown verify option "tolerance"/],
  ]) {
    for (const check of [constructWebhookEvent, verifyWebhookSignature]) {
      const e = thrown(() => check(BODY, HEADER, SECRET, options))
      assert.ok(e instanceof NixflexInvalidRequestError, `${check.name} ${JSON.stringify(options)}: ${e}`)
      assert.match(e.message, message)
      assert.ok(!e.message.includes(SECRET))
    }
  }
  // The delivery itself never makes the boolean check throw.
  assert.equal(verifyWebhookSignature({ parsed: true }, HEADER, SECRET, { now: T }), false)
  assert.match(thrown(() => signWebhook(BODY, SECRET, NaN)).message, /timestamp/)
  assert.match(thrown(() => signWebhook({}, SECRET, T)).message, /raw text or bytes/)
})
