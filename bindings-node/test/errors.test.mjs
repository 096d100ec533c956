// Each error class, from the real mock: the class by HTTP status, every field, `instanceof`.
import test from 'node:test'
import assert from 'node:assert/strict'
import Nixflex, {
  NixflexAbortError,
  NixflexAuthenticationError,
  NixflexConflictError,
  NixflexConnectionError,
  NixflexError,
  NixflexInvalidRequestError,
  NixflexNotFoundError,
  NixflexPaymentRequiredError,
  NixflexPermissionDeniedError,
  NixflexRateLimitError,
  NixflexServerError,
  NixflexSignatureError,
  NixflexTimeoutError,
  NixflexUpstreamError,
  constructWebhookEvent,
  errorFromResponse,
} from 'nixflex'
import { inspect } from 'node:util'
import { agentWithNumber, tenant } from './helpers.mjs'

async function rejection(promise) {
  try {
    await promise
  } catch (e) {
    return e
  }
  assert.fail('expected a rejection')
}

test('404: NixflexNotFoundError with every field of the envelope', async () => {
  const t = await tenant()
  const err = await rejection(t.client().agents.get('agent_0000000000000000'))
  assert.ok(err instanceof NixflexNotFoundError && err instanceof NixflexError && err instanceof Error)
  assert.equal(err.name, 'NixflexNotFoundError')
  assert.equal(err.kind, 'not_found')
  assert.equal(err.status, 404)
  assert.equal(err.code, 'agent_not_found')
  assert.equal(typeof err.type, 'string')
  assert.match(err.docUrl, /^https:\/\//)
  assert.equal(typeof err.details, 'object')
  assert.match(err.requestId, /^req_/)
  assert.equal(err.attempts, 1)
  assert.equal(err.idempotencyKey, undefined, 'a GET carries no idempotency key')
  assert.equal(err.retryAfterSeconds, undefined)
  assert.match(String(err.stack), /NixflexNotFoundError/)
  assert.equal(JSON.parse(JSON.stringify(err)).code, 'agent_not_found')
})

test('400 and 422: NixflexInvalidRequestError', async () => {
  const t = await tenant()
  const client = t.client()
  const err = await rejection(client.calls.create({ agent_id: 'x', to_number: 'not-a-number', prompt: 'p' }))
  assert.ok(err instanceof NixflexInvalidRequestError)
  assert.equal(err.status, 400)
  assert.equal(err.code, 'invalid_phone_format')
  assert.ok(err.idempotencyKey, 'a mutation carries its idempotency key')
  // The same key with another body: 422 idempotency_key_reused.
  await client.agents.create({ name: 'One' }, { idempotencyKey: 'reuse-me-0001' })
  const reused = await rejection(client.agents.create({ name: 'Two' }, { idempotencyKey: 'reuse-me-0001' }))
  assert.ok(reused instanceof NixflexInvalidRequestError)
  assert.equal(reused.status, 422)
  assert.equal(reused.code, 'idempotency_key_reused')
  assert.equal(reused.idempotencyKey, 'reuse-me-0001')
})

test('401: NixflexAuthenticationError, with the secret nowhere in it', async () => {
  const t = await tenant()
  const client = new Nixflex({ apiKey: `${t.keyId}:nxfs_wrongwrongwrong`, baseUrl: t.baseUrl })
  const err = await rejection(client.usage.get())
  assert.ok(err instanceof NixflexAuthenticationError)
  assert.equal(err.status, 401)
  for (const shown of [err.message, String(err.stack), inspect(err, { depth: 10, showHidden: true }), JSON.stringify(err), inspect(client, { depth: 10 })]) {
    assert.ok(!shown.includes('wrongwrong'), `the secret appears in: ${shown}`)
  }
  assert.equal(JSON.parse(JSON.stringify(err)).status, 401)
})

test('details: the details object of the API, as sent', async () => {
  const t = await tenant()
  // The official SDK's empty call type-checks and reaches the server, which requires a name.
  const err = await rejection(t.client().agents.create())
  assert.ok(err instanceof NixflexInvalidRequestError)
  assert.equal(err.code, 'missing_field')
  assert.deepEqual(err.details, { field: 'name' })
  const phone = await rejection(t.client().calls.create({ agent_id: 'x', to_number: 'nope', prompt: 'p' }))
  assert.deepEqual(phone.details, { field: 'to_number' })
  assert.deepEqual(JSON.parse(JSON.stringify(phone)).details, { field: 'to_number' })
})

test('every class has its literal name, whatever its constructor is called', () => {
  const classes = {
    NixflexError, NixflexInvalidRequestError, NixflexAuthenticationError, NixflexPaymentRequiredError,
    NixflexPermissionDeniedError, NixflexNotFoundError, NixflexConflictError, NixflexRateLimitError,
    NixflexServerError, NixflexUpstreamError, NixflexConnectionError, NixflexTimeoutError, NixflexAbortError,
    NixflexSignatureError,
  }
  for (const [name, Class] of Object.entries(classes)) {
    // A minifier renames classes; the name must not follow.
    const saved = Object.getOwnPropertyDescriptor(Class, 'name')
    Object.defineProperty(Class, 'name', { value: 'e' })
    try {
      const err = new Class({ kind: 'x', message: 'm' })
      assert.equal(err.name, name)
      assert.match(String(err.stack), new RegExp(`^${name}: m`))
      assert.equal(err.toJSON().name, name)
    } finally {
      Object.defineProperty(Class, 'name', saved)
    }
  }
  assert.equal(new NixflexAbortError({ kind: 'aborted', message: 'm' }).code, 'ABORT_ERR')
})

test('402, 403, 500 and 502 map by status; retryable statuses are retried', async () => {
  const t = await tenant()
  const client = t.client({ maxRetries: 0 })
  const cases = [
    [402, NixflexPaymentRequiredError, 'payment_required'],
    [403, NixflexPermissionDeniedError, 'permission_denied'],
    [500, NixflexServerError, 'server'],
    [502, NixflexUpstreamError, 'upstream'],
  ]
  for (const [status, Class, kind] of cases) {
    await t.faults('usage.get', [{ status }])
    const err = await rejection(client.usage.get())
    assert.ok(err instanceof Class, `${status} -> ${err.name}`)
    assert.equal(err.kind, kind)
    assert.equal(err.status, status)
  }
  assert.ok(new NixflexUpstreamError({ kind: 'upstream', message: '' }) instanceof NixflexServerError)
  // A non-JSON 502 body from a proxy still gives the right class, with an excerpt.
  await t.faults('usage.get', [{ status: 502, body: '<html><h1>502 Bad Gateway</h1></html>', content_type: 'text/html' }])
  const html = await rejection(client.usage.get())
  assert.ok(html instanceof NixflexUpstreamError)
  assert.match(html.message, /502 Bad Gateway/)
  // With retries, a 503 then success is one logical call of two attempts.
  await t.faults('usage.get', [{ status: 503 }])
  const { response } = await t.client().usage.get().withResponse()
  assert.equal(response.attempts, 2)
})

test('409: NixflexConflictError', async () => {
  const t = await tenant()
  const client = t.client()
  const { agent, number } = await agentWithNumber(client)
  const err = await rejection(
    client.phoneNumbers.import({ phone_number: number, agent_id: agent.agent_id, twilio_sid: `AC${'ab'.repeat(16)}`, twilio_token: 't' }),
  )
  assert.ok(err instanceof NixflexConflictError)
  assert.equal(err.status, 409)
  assert.equal(err.code, 'number_already_imported')
})

test('429: NixflexRateLimitError with retryAfterSeconds', async () => {
  const t = await tenant()
  await t.faults('usage.get', [{ status: 429, retry_after: '42' }])
  const err = await rejection(t.client({ maxRetries: 0 }).usage.get())
  assert.ok(err instanceof NixflexRateLimitError)
  assert.equal(err.status, 429)
  assert.equal(err.retryAfterSeconds, 42)
})

test('connection and timeout: NixflexConnectionError and NixflexTimeoutError (status 0)', async () => {
  const refused = new Nixflex({ apiKey: 'nxf_0123456789abcdef0123456789abcdef:nxfs_example', baseUrl: 'http://127.0.0.1:9', maxRetries: 0 })
  const err = await rejection(refused.usage.get())
  assert.ok(err instanceof NixflexConnectionError)
  assert.equal(err.status, 0)
  assert.equal(err.attempts, 1)

  const t = await tenant()
  await t.faults('usage.get', [{ delay_ms: 2000 }])
  const slow = await rejection(t.client({ maxRetries: 0, timeoutMs: 200 }).usage.get())
  assert.ok(slow instanceof NixflexTimeoutError && slow instanceof NixflexConnectionError)
  assert.equal(slow.kind, 'timeout')
  // A dropped connection after the work is done is a connection error too.
  await t.faults('usage.get', [{ drop: 'before' }])
  const dropped = await rejection(t.client({ maxRetries: 0 }).usage.get())
  assert.ok(dropped instanceof NixflexConnectionError)
})

test('aborted: NixflexAbortError', async () => {
  const t = await tenant()
  const err = await rejection(t.client().usage.get({ signal: AbortSignal.abort() }))
  assert.ok(err instanceof NixflexAbortError && err instanceof NixflexError)
  assert.equal(err.kind, 'aborted')
  assert.equal(err.code, 'ABORT_ERR')
})

test('configuration: a malformed key is a NixflexError at construction, without the secret', () => {
  assert.throws(() => new Nixflex({ apiKey: 'nxf_abc:not-a-secret-value' }), (e) => {
    assert.ok(e instanceof NixflexError)
    assert.equal(e.kind, 'configuration')
    assert.ok(!e.message.includes('not-a-secret-value'))
    return true
  })
  assert.throws(() => new Nixflex({ apiKey: '' }), { kind: 'configuration' })
  assert.throws(() => new Nixflex({ apiKey: 'nxf_a1:nxfs_b2', baseUrl: 'ftp://x' }), { kind: 'configuration' })
  assert.throws(() => new Nixflex({ apiKey: 'nxf_a1:nxfs_b2', timeoutMs: -1 }), { kind: 'configuration' })
})

test('decode: a 2xx body that is not JSON is a NixflexError with the metadata, not a SyntaxError', async () => {
  const t = await tenant()
  const client = t.client()
  await t.faults('usage.get', [{ status: 200, body: 'not json at all', content_type: 'text/plain' }])
  const err = await rejection(client.usage.get())
  assert.ok(err instanceof NixflexError)
  assert.equal(err.kind, 'decode')
  // Labelled as JSON but not JSON, on the plain path (which hands over only text) and with
  // withResponse(): the status, request id, attempts and the mutation's key all survive.
  for (const withMeta of [false, true]) {
    await t.faults('agents.create', [{ status: 201, body: '<html>maintenance</html>', content_type: 'application/json' }])
    const p = client.agents.create({ name: 'Decode' })
    const bad = await rejection(withMeta ? p.withResponse() : p)
    assert.equal(bad.kind, 'decode', bad.message)
    assert.equal(bad.status, 201)
    assert.match(bad.requestId, /^req_/)
    assert.equal(bad.attempts, 1)
    const [sent] = (await t.journal('agents.create')).slice(-1)
    assert.equal(bad.idempotencyKey, sent.headers['idempotency-key'])
    assert.match(bad.message, /maintenance/)
  }
  await t.faults('usage.get', [{ status: 200, body: '{"total_calls": 1', content_type: 'application/json' }])
  const truncated = await rejection(client.usage.get())
  assert.equal(truncated.kind, 'decode')
  assert.equal(truncated.status, 200)
  assert.match(truncated.requestId, /^req_/)
})

test('signature: NixflexSignatureError names the problem', () => {
  const err = (() => {
    try {
      constructWebhookEvent('{}', 't=1,v1=00', 'nxfs_secret')
    } catch (e) {
      return e
    }
  })()
  assert.ok(err instanceof NixflexSignatureError)
  assert.equal(err.code, 'malformed_signature')
})

test('a Rust panic reaches JavaScript as an internal NixflexError', async () => {
  process.env.NIXFLEX_NODE_TEST_HOOKS = '1'
  const { createRequire } = await import('node:module')
  const require = createRequire(import.meta.url)
  const native = require('../native.js')
  const { fromNative } = require('../dist/errors.js')
  for (const inFuture of [false, true]) {
    const err = fromNative(await rejection(native.debugPanic(inFuture)))
    assert.ok(err instanceof NixflexError)
    assert.equal(err.kind, 'internal')
    assert.match(err.message, /test panic/)
  }
})

test('errorFromResponse maps like the official SDK, by status', () => {
  const err = errorFromResponse(404, { error: { type: 'not_found', code: 'agent_not_found', message: 'Agent not found' } }, { 'x-request-id': 'req_1' })
  assert.ok(err instanceof NixflexNotFoundError)
  assert.equal(err.requestId, 'req_1')
  assert.ok(errorFromResponse(503, null) instanceof NixflexServerError)
  assert.ok(errorFromResponse(502, 'x') instanceof NixflexUpstreamError)
  assert.equal(errorFromResponse(429, {}, { 'retry-after': '7' }).retryAfterSeconds, 7)
})
