// Webhook signatures: the golden vector of DESIGN.md §4, the official boolean check, the strict
// check, and a real signed delivery from the mock.
import test from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { once } from 'node:events'
import Nixflex, { NixflexSignatureError, constructWebhookEvent, signWebhook, verifyWebhookSignature } from 'nixflex'
import { agentWithNumber, tenant } from './helpers.mjs'

const SECRET = 'nxfs_testsecret_0123456789abcdef'
const BODY = '{"event":"call.completed","call_id":"CA123"}'
const T = 1755300000
const GOLDEN = '8244940dd2d19c8d603cfd55b40de1cd94b98de4aca1f56b98cdd5f44ea98031'
const HEADER = `t=${T},v1=${GOLDEN}`

test('golden vector', () => {
  assert.equal(signWebhook(BODY, SECRET, T), HEADER)
  assert.equal(verifyWebhookSignature(BODY, HEADER, SECRET, { now: T }), true)
  assert.equal(verifyWebhookSignature(Buffer.from(BODY), HEADER, SECRET, { now: T }), true)
  assert.equal(verifyWebhookSignature(new TextEncoder().encode(BODY), HEADER, SECRET, { now: T }), true)
  assert.deepEqual(constructWebhookEvent(BODY, HEADER, SECRET, { now: T }), { event: 'call.completed', call_id: 'CA123' })
})

test('the boolean check: tampering, wrong secret, staleness, garbage; never throws', () => {
  assert.equal(verifyWebhookSignature(BODY.replace('CA123', 'CA124'), HEADER, SECRET, { now: T }), false)
  assert.equal(verifyWebhookSignature(BODY, HEADER, 'nxfs_other', { now: T }), false)
  assert.equal(verifyWebhookSignature(BODY, HEADER, SECRET, { now: T + 10000 }), false)
  assert.equal(verifyWebhookSignature(BODY, HEADER, SECRET, { now: T + 200 }), true)
  assert.equal(verifyWebhookSignature(BODY, HEADER, SECRET, { now: T + 301 }), false)
  assert.equal(verifyWebhookSignature(BODY, HEADER, SECRET, { now: T - 300 }), true)
  assert.equal(verifyWebhookSignature(BODY, HEADER, SECRET, { now: T + 301, toleranceSeconds: 400 }), true)
  for (const bad of ['', 'garbage', `t=${T}`, `v1=${GOLDEN}`, `t=abc,v1=${GOLDEN}`, `t=${T},v1=${GOLDEN.toUpperCase()}`, null, undefined]) {
    assert.equal(verifyWebhookSignature(BODY, bad, SECRET, { now: T }), false, String(bad))
  }
  assert.equal(verifyWebhookSignature(BODY, HEADER, '', { now: T }), false)
  assert.equal(verifyWebhookSignature({ parsed: 'json' }, HEADER, SECRET, { now: T }), false)
  assert.equal(verifyWebhookSignature(null, HEADER, SECRET, { now: T }), false)
  assert.equal(verifyWebhookSignature(BODY, HEADER, null, { now: T }), false)
})

test('the strict check names the problem and accepts several secrets', () => {
  const code = (f) => {
    try {
      f()
    } catch (e) {
      assert.ok(e instanceof NixflexSignatureError)
      return e.code
    }
    return 'ok'
  }
  assert.equal(code(() => constructWebhookEvent(BODY, undefined, SECRET, { now: T })), 'missing_signature')
  assert.equal(code(() => constructWebhookEvent(BODY, 't=1', SECRET, { now: T })), 'malformed_signature')
  assert.equal(code(() => constructWebhookEvent(BODY, HEADER, SECRET, { now: T + 301 })), 'timestamp_out_of_tolerance')
  assert.equal(code(() => constructWebhookEvent(BODY + ' ', HEADER, SECRET, { now: T })), 'signature_mismatch')
  assert.equal(code(() => constructWebhookEvent(BODY, HEADER, ['nxfs_old', SECRET], { now: T })), 'ok')
  assert.equal(code(() => constructWebhookEvent('[1]', signWebhook('[1]', SECRET, T), SECRET, { now: T })), 'invalid_payload')
  const client = new Nixflex({ apiKey: 'nxf_0123456789abcdef0123456789abcdef:nxfs_example' })
  assert.equal(client.webhooks.verify(BODY, HEADER, SECRET, { now: T }), true)
  assert.equal(client.webhooks.constructEvent(BODY, HEADER, [SECRET], { now: T }).call_id, 'CA123')
  assert.equal(client.webhooks.sign(BODY, SECRET, T), HEADER)
})

test('a real delivery from the mock verifies with the key secret', async () => {
  const received = []
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      received.push({ header: req.headers['x-nixflex-signature'], body: Buffer.concat(chunks) })
      res.end('ok')
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  try {
    const t = await tenant({ call_ring_ms: 0, call_duration_ms: 0 })
    const client = t.client()
    const { agent, number } = await agentWithNumber(client)
    await client.webhooks.set(number, `http://127.0.0.1:${server.address().port}/hook`)
    const call = await client.calls.create({ agent_id: agent.agent_id, to_number: '+447700900555', prompt: 'Hi' })
    for (let i = 0; i < 100 && !received.some((r) => r.body.includes('call.completed')); i++) {
      await new Promise((r) => setTimeout(r, 50))
    }
    const delivery = received.find((r) => r.body.includes('call.completed'))
    assert.ok(delivery, `no delivery; the mock says ${JSON.stringify(await t.deliveries())}`)
    assert.equal(verifyWebhookSignature(delivery.body, delivery.header, t.keySecret), true)
    const event = client.webhooks.constructEvent(delivery.body, delivery.header, t.keySecret)
    assert.equal(event.call_id, call.call_id)
  } finally {
    server.close()
  }
})
