// Code written for the official Node SDK 0.9, unchanged: its constructor, call shapes, method
// names, type names and error classes (the examples of its README and docs), every method of it
// once. Each expected failure is checked for its exact class; anything else ends the script.
import Nixflex, {
  NixflexAuthenticationError,
  NixflexError,
  NixflexInvalidRequestError,
  NixflexNotFoundError,
  type AgentCreateParams,
  type AgentUpdateParams,
  type BatchCampaignParams,
  type ListParams,
  type LlmSetParams,
  type OutboundCallParams,
  type PhoneNumberUpdateParams,
  type RequestOptions,
  type SmsSendParams,
  type StorageSetParams,
  type TtsSetParams,
  type WebhookConfigResponse,
  verifyWebhookSignature,
} from 'nixflex'

/** Runs `call`, which must fail with an error of `Class`; returns it. */
async function expectError<E extends NixflexError>(
  Class: new (...args: never[]) => E,
  call: () => Promise<unknown>,
): Promise<E> {
  try {
    await call()
  } catch (err) {
    if (err instanceof Class) return err
    throw new Error(`expected ${Class.name}, got ${String(err)}`)
  }
  throw new Error(`expected ${Class.name}, but the call succeeded`)
}

const nixflex = new Nixflex({
  apiKey: process.env.NIXFLEX_API_KEY!,
  baseUrl: process.env.NIXFLEX_BASE_URL,
  timeoutMs: 30000,
  maxRetries: 1,
})

// Agents
const params: AgentCreateParams = {
  name: 'Dental receptionist',
  system_prompt: 'You book appointments for a dental practice.',
  voice_id: 'Ashley',
  language: 'en',
  temperature: 0.3,
  record_call: true,
}
const agent = await nixflex.agents.create(params)
// The official SDK allows an empty create; the API requires a name.
const missing = await expectError(NixflexInvalidRequestError, () => nixflex.agents.create())
console.log(missing.code, missing.details)
const page: ListParams = { limit: 10 }
const agents = await nixflex.agents.list(page)
console.log(agents.map((a) => a.name))
const update: AgentUpdateParams = { welcome_message: 'Hello, Smile Dental!' }
await nixflex.agents.update(agent.agent_id, update)
console.log((await nixflex.agents.get(agent.agent_id)).welcome_message)
for await (const a of nixflex.agents.iter(100)) console.log(a.agent_id)
const spare = await nixflex.agents.create({ name: 'Spare' })
console.log((await nixflex.agents.delete(spare.agent_id)).deleted)

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
const numberUpdate: PhoneNumberUpdateParams = { sms_reply_enabled: true }
await nixflex.phoneNumbers.update(phone, numberUpdate)
await nixflex.phoneNumbers.setMonitor(phone, true)
console.log((await nixflex.phoneNumbers.getMonitor(phone)).monitor_enabled)
await nixflex.phoneNumbers.setWebCalls(phone, true)
console.log((await nixflex.phoneNumbers.getWebCalls(phone)).web_calls_enabled)

// Calls
const opts: RequestOptions = { timeoutMs: 10000 }
const outbound: OutboundCallParams = {
  agent_id: agent.agent_id,
  to_number: '+447700900555',
  prompt: 'Remind the patient of tomorrow’s 10:00 appointment.',
  dynamic_vars: { patient_name: 'Sam' },
  campaign_id: undefined,
}
const call = await nixflex.calls.create(outbound, opts)
console.log(call.call_id, call.status)
const calls = await nixflex.calls.list({ limit: 50, offset: 0 })
console.log(calls.length)
for await (const c of nixflex.calls.iter()) console.log(c.call_id, c.ended_reason)
const one = await nixflex.calls.get(call.call_id)
console.log(one.transcript)

// Voice campaigns
const batch: BatchCampaignParams = {
  agent_id: agent.agent_id,
  from_number: phone,
  prompt: 'Confirm the appointment.',
  recipients: [{ phone: '+447700900556', variables: { name: 'Kim' } }],
  schedule_type: 'schedule',
  scheduled_date: '2030-01-01',
}
const voice = await nixflex.campaigns.create(batch)
console.log(voice.valid_count, (await nixflex.campaigns.launch(voice.campaign_id)).status)

// Caller context
await nixflex.callers.set(phone, '+447700900999', { name: 'Sam', preference: 'mornings' })
console.log((await nixflex.callers.get(phone, '+447700900999')).caller.context)
await nixflex.callers.import(phone, [{ caller_number: '+447700900998', name: 'Kim' }])
await nixflex.callers.delete(phone, '+447700900998')
await expectError(NixflexNotFoundError, () => nixflex.callers.get(phone, '+447700900998'))

// SMS
const sms: SmsSendParams = { agent_id: agent.agent_id, to: '+447700900555', message: 'See you tomorrow!' }
await nixflex.sms.send(sms)
const reminders = {
  agent_id: agent.agent_id,
  from_number: phone,
  name: 'Reminders',
  message_template: 'Hi {{name}}, see you soon',
  recipients: [{ phone: '+447700900555', variables: { name: 'Sam' } }],
  schedule_type: 'schedule' as const,
  scheduled_at: '2030-01-01T09:00:00Z',
}
const campaign = await nixflex.sms.campaigns.create(reminders)
const cancelled = await nixflex.sms.campaigns.create(reminders)
const { campaigns } = await nixflex.sms.campaigns.list({ status: 'scheduled', limit: 10 })
console.log(campaigns.length, (await nixflex.sms.campaigns.get(campaign.campaign_id)).status)
console.log((await nixflex.sms.campaigns.launch(campaign.campaign_id)).status)
console.log((await nixflex.sms.campaigns.delete(cancelled.campaign_id)).deleted)

// Webhooks, usage, bring-your-own
const hook: WebhookConfigResponse = await nixflex.webhooks.set(phone, 'https://example.com/nixflex-hook', 2)
const hookState: WebhookConfigResponse = await nixflex.webhooks.get(phone, 2)
console.log(hook.ok, hookState.is_set)
await nixflex.webhooks.delete(phone, 2)
const usage = await nixflex.usage.get()
console.log(usage.total_calls, usage.total_minutes)
const storage: StorageSetParams = { bucket: 'recordings', access_key: 'AKIA…', secret_key: 'secret…', region: 'eu-west-1' }
await nixflex.storage.set(storage)
console.log((await nixflex.storage.get()).storage_enabled, (await nixflex.storage.delete()).storage_enabled)
const llm: LlmSetParams = { endpoint: 'https://api.openai.com/v1', model: 'gpt-4o-mini', api_key: 'sk-…' }
await nixflex.llm.set(llm)
console.log((await nixflex.llm.get()).byo_llm_enabled, (await nixflex.llm.delete()).byo_llm_enabled)
const tts: TtsSetParams = { provider: 'elevenlabs', voice_id: 'voice_123', api_key: 'el-…' }
await nixflex.tts.set(tts)
console.log((await nixflex.tts.get()).byo_tts_enabled, (await nixflex.tts.delete()).byo_tts_enabled)

// Errors
const notFound = await expectError(NixflexNotFoundError, () => nixflex.agents.get('agent_does_not_exist'))
console.log(notFound.status, notFound.code, notFound.requestId)

// Webhook verification (in your HTTP handler, with the raw body)
const ok: boolean = verifyWebhookSignature(
  '{"event":"call.completed","call_id":"CA123"}',
  't=1755300000,v1=8244940dd2d19c8d603cfd55b40de1cd94b98de4aca1f56b98cdd5f44ea98031',
  'nxfs_testsecret_0123456789abcdef',
  { toleranceSeconds: 300, now: 1755300000 },
)
if (!ok || nixflex.webhooks.verify('x', null, 'nxfs_x')) throw new Error('the golden vector must verify, garbage must not')

// Erasing: one call, then every call; detaching the number
console.log((await nixflex.calls.delete(call.call_id)).deleted)
console.log((await nixflex.calls.deleteAll()).deleted)
await nixflex.phoneNumbers.delete(phone)

// Account keys: the static sign-up call and rotation (the old secret stops working at once)
const created = await Nixflex.createKey({ name: 'Second key', email: 'ops@example.com' }, process.env.NIXFLEX_BASE_URL)
console.log(created.key_id)
await nixflex.keys.rotate()
await expectError(NixflexAuthenticationError, () => nixflex.usage.get())
