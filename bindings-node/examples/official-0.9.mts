// Code written for the official Node SDK 0.9, unchanged: its constructor, call shapes, method
// names and error classes (the examples of its README and docs).
import Nixflex, {
  NixflexAuthenticationError,
  NixflexConnectionError,
  NixflexError,
  NixflexInvalidRequestError,
  NixflexNotFoundError,
  NixflexPaymentRequiredError,
  NixflexRateLimitError,
  NixflexServerError,
  type RequestOptions,
  verifyWebhookSignature,
} from 'nixflex'

const nixflex = new Nixflex({
  apiKey: process.env.NIXFLEX_API_KEY!,
  baseUrl: process.env.NIXFLEX_BASE_URL,
  timeoutMs: 30000,
  maxRetries: 1,
})

// Agents
const agent = await nixflex.agents.create({
  name: 'Dental receptionist',
  system_prompt: 'You book appointments for a dental practice.',
  voice_id: 'Ashley',
  language: 'en',
  temperature: 0.3,
  record_call: true,
})
const agents = await nixflex.agents.list({ limit: 10 })
console.log(agents.map((a) => a.name))
await nixflex.agents.update(agent.agent_id, { welcome_message: 'Hello, Smile Dental!' })
for await (const a of nixflex.agents.iter(100)) console.log(a.agent_id)

// Phone numbers
const phone = '+447700900001'
await nixflex.phoneNumbers.import({
  phone_number: phone,
  agent_id: agent.agent_id,
  twilio_sid: 'AC00000000000000000000000000000000',
  twilio_token: 'your_auth_token',
})
const { phone_numbers, count } = await nixflex.phoneNumbers.list({ agent_id: agent.agent_id })
console.log(count, phone_numbers[0]?.phone_number)
await nixflex.phoneNumbers.update(phone, { sms_reply_enabled: true })
await nixflex.phoneNumbers.setMonitor(phone, true)
console.log((await nixflex.phoneNumbers.getWebCalls(phone)).web_calls_enabled)

// Calls
const opts: RequestOptions = { timeoutMs: 10000 }
const call = await nixflex.calls.create(
  {
    agent_id: agent.agent_id,
    to_number: '+447700900555',
    prompt: 'Remind the patient of tomorrow’s 10:00 appointment.',
    dynamic_vars: { patient_name: 'Sam' },
    campaign_id: undefined,
  },
  opts,
)
console.log(call.call_id, call.status)
const calls = await nixflex.calls.list({ limit: 50, offset: 0 })
console.log(calls.length)
for await (const c of nixflex.calls.iter()) console.log(c.call_id, c.ended_reason)
const one = await nixflex.calls.get(call.call_id)
console.log(one.transcript)

// Caller context
await nixflex.callers.set(phone, '+447700900999', { name: 'Sam', preference: 'mornings' })
console.log((await nixflex.callers.get(phone, '+447700900999')).caller.context)
await nixflex.callers.import(phone, [{ caller_number: '+447700900998', name: 'Kim' }])

// SMS
await nixflex.sms.send({ agent_id: agent.agent_id, to: '+447700900555', message: 'See you tomorrow!' })
const campaign = await nixflex.sms.campaigns.create({
  agent_id: agent.agent_id,
  from_number: phone,
  name: 'Reminders',
  message_template: 'Hi {{name}}, see you soon',
  recipients: [{ phone: '+447700900555', variables: { name: 'Sam' } }],
  schedule_type: 'schedule',
  scheduled_at: '2030-01-01T09:00:00Z',
})
const { campaigns } = await nixflex.sms.campaigns.list({ status: 'scheduled', limit: 10 })
console.log(campaigns.length, campaign.campaign_id)

// Webhooks, usage, bring-your-own
await nixflex.webhooks.set(phone, 'https://example.com/nixflex-hook', 2)
const usage = await nixflex.usage.get()
console.log(usage.total_calls, usage.total_minutes)
await nixflex.llm.set({ endpoint: 'https://api.openai.com/v1', model: 'gpt-4o-mini', api_key: 'sk-…' })
console.log((await nixflex.llm.get()).byo_llm_enabled)

// Errors
try {
  await nixflex.agents.get('agent_does_not_exist')
} catch (err) {
  if (err instanceof NixflexNotFoundError) console.log(err.status, err.code, err.requestId)
  else if (err instanceof NixflexAuthenticationError) console.log('check your key', err.docUrl)
  else if (err instanceof NixflexRateLimitError) console.log('retry in', err.retryAfterSeconds)
  else if (
    err instanceof NixflexPaymentRequiredError ||
    err instanceof NixflexInvalidRequestError ||
    err instanceof NixflexServerError ||
    err instanceof NixflexConnectionError
  )
    console.log(err.message)
  else if (err instanceof NixflexError) console.log(err.type, err.details)
  else throw err
}

// Webhook verification (in your HTTP handler, with the raw body)
const ok: boolean = verifyWebhookSignature(
  '{"event":"call.completed","call_id":"CA123"}',
  't=1755300000,v1=8244940dd2d19c8d603cfd55b40de1cd94b98de4aca1f56b98cdd5f44ea98031',
  'nxfs_testsecret_0123456789abcdef',
  { toleranceSeconds: 300, now: 1755300000 },
)
console.log('verified', ok, nixflex.webhooks.verify('x', null, 'nxfs_x'))

// Account keys: the static sign-up call and rotation
const created = await Nixflex.createKey({ name: 'Second key', email: 'ops@example.com' }, process.env.NIXFLEX_BASE_URL)
console.log(created.key_id)
await nixflex.keys.rotate()
