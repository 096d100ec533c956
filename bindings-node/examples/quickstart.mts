// The tour of the Node SDK: run it against the mock with
//   NIXFLEX_BASE_URL=<mock URL> node examples/.build/quickstart.mjs
// (NIXFLEX_API_KEY is minted here when unset.)
import Nixflex, { NixflexNotFoundError, NixflexRateLimitError, type Agent, verifyWebhookSignature } from 'nixflex'

const baseUrl = process.env.NIXFLEX_BASE_URL
const apiKey =
  process.env.NIXFLEX_API_KEY ??
  (await Nixflex.createKey({ name: 'Quickstart' }, baseUrl).then((k) => `${k.key_id}:${k.key_secret}`))

const client = new Nixflex({ apiKey, baseUrl, timeoutMs: 10_000, maxRetries: 3 })

// Create an agent, and read the call's metadata with it.
const { data: agent, response } = await client.agents
  .create({ name: 'Front desk', system_prompt: 'You are a friendly receptionist.' })
  .withResponse()
console.log(`agent ${agent.agent_id}: status ${response.status}, request ${response.requestId}, ${response.attempts} attempt(s)`)

// Attach a number, then place a call: safe to retry, it carries one idempotency key.
const number = '+447700900001'
await client.phoneNumbers.import({
  phone_number: number,
  agent_id: agent.agent_id,
  twilio_sid: `AC${'0'.repeat(32)}`,
  twilio_token: 'twilio-auth-token',
})
const call = await client.calls.create(
  { agent_id: agent.agent_id, to_number: '+447700900555', prompt: 'Confirm tomorrow at 10:00', dynamic_vars: { name: 'Sam' } },
  { timeoutMs: 5_000, idempotencyKey: 'quickstart-call-1' },
)
console.log(`call ${call.call_id} is ${call.status}`)

// Every agent, page by page, whatever the list's shape on the wire.
const agents: Agent[] = []
for await (const a of client.agents.iter({ pageSize: 50, maxItems: 1000 })) agents.push(a)
const page = await client.agents.list({ limit: 10 })
console.log(`${agents.length} agent(s); the first page holds ${page.length} of ${page.count ?? '?'}`)

// Typed errors, with what support needs.
try {
  await client.agents.get('agent_0000000000000000')
} catch (err) {
  if (err instanceof NixflexNotFoundError) console.log(`not found: ${err.code} (request ${err.requestId})`)
  else if (err instanceof NixflexRateLimitError) console.log(`slow down for ${err.retryAfterSeconds} s`)
  else throw err
}

// Cancel a call with an AbortSignal: it rejects with NixflexAbortError and is not retried.
const controller = new AbortController()
const usage = client.usage.get({ signal: controller.signal })
controller.abort()
await usage.catch((err: unknown) => console.log(`aborted: ${(err as Error).name}`))

// Verify a webhook delivery with the key's secret.
const body = '{"event":"call.completed","call_id":"CA123"}'
const header = client.webhooks.sign(body, 'nxfs_testsecret_0123456789abcdef', 1755300000)
console.log('signature ok:', verifyWebhookSignature(body, header, 'nxfs_testsecret_0123456789abcdef', { now: 1755300000 }))
