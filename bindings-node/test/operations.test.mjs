// Every operation of the spec, once, through the public API (the generated methods and the
// official SDK's aliases), against the real mock; the mock's journal proves coverage.
import test from 'node:test'
import assert from 'node:assert/strict'
import Nixflex from 'nixflex'
import { OPERATION_IDS } from 'nixflex'
import { tenant } from './helpers.mjs'

test('every operation of the spec, once, through the client', async () => {
  const t = await tenant({ call_ring_ms: 0, call_duration_ms: 0 })
  const client = t.client()
  const done = new Set()

  // keys.create needs no key.
  const key = await Nixflex.createKey({ name: 'Ada', email: 'ada@example.com' }, t.baseUrl)
  assert.match(key.key_secret, /^nxfs_/)
  done.add('keys.create')

  const agent = await client.agents.create({ name: 'Front desk', voice_id: 'Olivia' })
  const agentId = agent.agent_id
  assert.equal((await client.agents.list()).length, 1)
  assert.equal((await client.agents.get(agentId)).name, 'Front desk')
  const updated = await client.agents.update(agentId, { welcome_message: 'Hi!', no_such_field: 1 })
  assert.equal(updated.welcome_message, 'Hi!')

  const number = '+447700900001'
  const imported = await client.phoneNumbers.import({
    phone_number: number,
    agent_id: agentId,
    twilio_sid: `AC${'ab'.repeat(16)}`,
    twilio_token: 'secret-token',
  })
  assert.equal(imported.phone_number.provider, 'twilio')
  assert.equal((await client.phoneNumbers.list()).count, 1)
  const patched = await client.phoneNumbers.update(number, { custom_prompt: 'We open at nine.' })
  assert.equal(patched.phone_number.custom_prompt, 'We open at nine.')

  const caller = '+447700900999'
  const set = await client.phoneNumbers.callers.set(number, caller, { name: 'Sam', email: 'sam@example.com' })
  assert.equal(set.caller.context.name, 'Sam')
  assert.equal((await client.phoneNumbers.callers.get(number, caller)).caller.context.email, 'sam@example.com')
  const rows = await client.phoneNumbers.callers.import(number, {
    callers: [{ caller_number: '447700900111', name: 'Kim' }],
  })
  assert.equal(rows.imported, 1)
  await client.phoneNumbers.callers.delete(number, caller)

  const integrations = [
    ['monitor', { enabled: true }],
    ['webCalls', { enabled: true }],
    ['webhook', { url: 'https://hooks.example.com/a' }],
    ['webhook2', { url: 'https://hooks.example.com/b' }],
    ['zapier', { url: 'https://hooks.zapier.com/x' }],
    ['make', { url: 'https://hook.make.com/x' }],
    ['gohighlevel', { url: 'https://ghl.example.com/x', pit: 'pit-secret', location_id: 'loc1' }],
    ['slack', { url: 'https://hooks.slack.com/services/x' }],
    ['calcom', { api_key: 'cal_secret', username: 'ada', event_slug: '30min' }],
    ['precall', { url: 'https://gate.example.com/check' }],
  ]
  for (const [name, body] of integrations) {
    const resource = client.integrations[name]
    await resource.set(number, body)
    const got = await resource.get(number)
    assert.ok(!JSON.stringify(got).includes('secret'), `${name} returns a secret`)
    await resource.delete(number)
  }
  await client.integrations.precallAgent.set(agentId, { url: 'https://gate.example.com/agent' })
  assert.equal((await client.integrations.precallAgent.get(agentId)).precall_webhook_url, 'https://gate.example.com/agent')
  await client.integrations.precallAgent.delete(agentId)

  const fn = await client.integrations.customFunctions.create(number, {
    name: 'check_order',
    url: 'https://api.example.com/orders',
    timeout_ms: 100000,
  })
  assert.equal(fn.timeout_ms, 45000)
  assert.equal((await client.integrations.customFunctions.list(number)).custom_functions.length, 1)
  assert.equal((await client.integrations.customFunctions.update(number, fn.id, { timeout_ms: 10 })).timeout_ms, 1000)
  await client.integrations.customFunctions.delete(number, fn.id)

  for (const [name, body] of [
    ['storage', { bucket: 'calls', access_key: 'AK', secret_key: 'SK-secret' }],
    ['llm', { endpoint: 'https://api.openai.com/v1', model: 'gpt-4o-mini', api_key: 'sk-secret' }],
    ['tts', { provider: 'elevenlabs', voice_id: 'v1', api_key: 'el-secret' }],
  ]) {
    await client[name].set(body)
    assert.ok(!JSON.stringify(await client[name].get()).includes('secret'))
    await client[name].delete()
  }

  const call = await client.calls.create({
    agent_id: agentId,
    to_number: '+447700900500',
    prompt: 'Confirm {day}',
    dynamic_vars: { day: 'Monday' },
  })
  assert.equal(call.from, number)
  assert.equal((await client.calls.list()).length, 1)
  assert.equal((await client.calls.get(call.call_id)).call_status, 'completed')

  const campaign = await client.campaigns.create({
    agent_id: agentId,
    prompt: 'Remind about the appointment',
    recipients: [{ phone: '+447700900601' }],
    schedule_type: 'schedule',
    scheduled_date: '2030-01-01',
    timezone: 'Europe/London',
  })
  assert.equal((await client.campaigns.launch(campaign.campaign_id)).status, 'running')
  assert.equal((await client.campaigns.list())[0].campaign_id, campaign.campaign_id)

  await t.configure({ call_duration_ms: 60_000 })
  assert.equal((await client.sms.send({ agent_id: agentId, to: '+447700900700', message: 'See you soon' })).from, number)
  const sc = await client.sms.campaigns.create({
    agent_id: agentId,
    from_number: number,
    name: 'Spring offer',
    message_template: 'Hi {{name}}!',
    recipients: [{ phone: '+447700900801', variables: { name: 'Jo' } }],
    schedule_type: 'schedule',
    scheduled_at: '2030-01-01T09:00:00Z',
  })
  assert.equal((await client.sms.campaigns.list()).length, 1)
  assert.equal((await client.sms.campaigns.get(sc.campaign_id)).recipients[0].rendered_message, 'Hi Jo!')
  assert.equal((await client.sms.campaigns.update(sc.campaign_id, { name: 'Summer offer' })).name, 'Summer offer')
  assert.equal((await client.sms.campaigns.launch(sc.campaign_id)).status, 'running')
  assert.equal((await client.sms.campaigns.delete(sc.campaign_id)).cancelled_count, 1)

  assert.equal(typeof (await client.usage.get()).total_calls, 'number')
  assert.equal((await client.calls.delete(call.call_id)).recording_deleted, true)
  assert.equal((await client.calls.deleteAll()).sms_deleted, 1)
  await client.phoneNumbers.delete(number)
  await client.agents.delete(agentId)

  const rotated = await client.keys.rotate()
  assert.equal(rotated.key_id, t.keyId)
  const fresh = new Nixflex({ apiKey: `${rotated.key_id}:${rotated.key_secret}`, baseUrl: t.baseUrl })
  await fresh.account.delete()

  for (const entry of await t.journal()) {
    if (entry.status < 300) done.add(entry.operation)
  }
  const missing = OPERATION_IDS.filter((id) => !done.has(id))
  assert.deepEqual(missing, [], `operations never exercised: ${missing}`)
  assert.equal(OPERATION_IDS.length, 78)
})

test('the official SDK names reach the same operations', async () => {
  const t = await tenant()
  const client = t.client()
  const { agent, number } = await (async () => {
    const a = await client.agents.create({ name: 'Aliases' })
    await client.phoneNumbers.import({ phone_number: '+447700900002', agent_id: a.agent_id, twilio_sid: `AC${'cd'.repeat(16)}`, twilio_token: 't' })
    return { agent: a, number: '+447700900002' }
  })()
  assert.equal((await client.phoneNumbers.setMonitor(number, true)).monitor_enabled, true)
  assert.equal((await client.phoneNumbers.getMonitor(number)).monitor_enabled, true)
  assert.equal((await client.phoneNumbers.setWebCalls(number, false)).web_calls_enabled, false)
  assert.equal((await client.phoneNumbers.getWebCalls(number)).web_calls_enabled, false)
  await client.callers.set(number, '+447700900123', { name: 'Ann' })
  assert.equal((await client.callers.get(number, '+447700900123')).caller.context.name, 'Ann')
  assert.equal((await client.callers.import(number, [{ caller_number: '+447700900124', name: 'Bo' }])).imported, 1)
  await client.callers.delete(number, '+447700900123')
  await client.webhooks.set(number, 'https://hooks.example.com/one')
  await client.webhooks.set(number, 'https://hooks.example.com/two', 2)
  assert.equal((await client.webhooks.get(number)).webhook_url, 'https://hooks.example.com/one')
  assert.equal((await client.webhooks.get(number, 2)).webhook_url_2, 'https://hooks.example.com/two')
  await client.webhooks.delete(number, 2)
  await assert.rejects(client.webhooks.get(number, 3), { name: 'NixflexInvalidRequestError' })
  const ops = (await t.journal()).map((e) => `${e.method} ${e.operation} ${e.path}`)
  assert.ok(ops.includes(`PUT integrations.webhook2.set /v1/integrations/webhook2/number/%2B447700900002`), ops.join('\n'))
  assert.ok(ops.includes(`DELETE integrations.webhook2.delete /v1/integrations/webhook2/number/%2B447700900002`))
  assert.ok(ops.includes(`PUT integrations.monitor.set /v1/integrations/monitor/number/%2B447700900002`))
  void agent
})

test('unknown fields are sent as given; ids are encoded as one path segment', async () => {
  const t = await tenant()
  const client = t.client()
  const agent = await client.agents.create({ name: 'Extra', custom_thing: { a: 1 } })
  const [entry] = await t.journal('agents.create')
  assert.deepEqual(entry.body.custom_thing, { a: 1 })
  await assert.rejects(client.agents.get('a/b?x=1#y'), { name: 'NixflexNotFoundError' })
  const [get] = await t.journal('agents.get')
  assert.equal(get.decoded_path_params.agent_id, 'a/b?x=1#y')
  await client.calls.list({ agent_id: agent.agent_id, extra_filter: 'x' })
  const [list] = await t.journal('calls.list')
  assert.equal(list.query.agent_id, agent.agent_id)
  assert.equal(list.query.extra_filter, 'x')
  await assert.rejects(client.agents.get(undefined), { name: 'NixflexInvalidRequestError' })
})
