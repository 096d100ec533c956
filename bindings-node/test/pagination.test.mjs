// list() and iter() in both wire shapes of the API (envelope and bare array).
import test from 'node:test'
import assert from 'node:assert/strict'
import { agentWithNumber, tenant } from './helpers.mjs'

async function withAgents(shape, n) {
  const t = await tenant({ list_shape: shape })
  const client = t.client()
  const ids = []
  const batch = 16
  for (let i = 0; i < n; i += batch) {
    const made = await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, (_, j) => client.agents.create({ name: `Agent ${i + j}` })),
    )
    ids.push(...made.map((a) => a.agent_id))
  }
  return { t, client, ids }
}

for (const shape of ['envelope', 'array']) {
  test(`${shape}: list() is an array with count/limit/offset`, async () => {
    const { client } = await withAgents(shape, 7)
    const page = await client.agents.list({ limit: 5, offset: 0 })
    assert.ok(Array.isArray(page))
    assert.equal(page.length, 5)
    if (shape === 'envelope') {
      assert.equal(page.count, 7)
      assert.equal(page.limit, 5)
      assert.equal(page.offset, 0)
    } else {
      assert.equal(page.count, null)
    }
    assert.deepEqual(Object.keys(page), ['0', '1', '2', '3', '4'], 'extra properties are not enumerable')
    assert.equal(JSON.stringify(page), JSON.stringify([...page]))
  })

  test(`${shape}: iter() walks every item in order, with maxItems`, async () => {
    const { t, client, ids } = await withAgents(shape, 23)
    const expected = (await client.agents.list({ limit: 100 })).map((a) => a.agent_id)
    assert.equal(new Set(expected).size, 23)
    assert.deepEqual(new Set(expected), new Set(ids))
    const seen = []
    for await (const agent of client.agents.iter(5)) seen.push(agent.agent_id)
    assert.deepEqual(seen, expected, 'every item once, in order (official positional page size)')
    const some = []
    for await (const agent of client.agents.iter({ pageSize: 4, maxItems: 10 })) some.push(agent.agent_id)
    assert.deepEqual(some, expected.slice(0, 10))
    const docs = []
    for await (const agent of client.agents.iter({ limit: 10 })) docs.push(agent.agent_id)
    assert.deepEqual(docs, expected, 'the docs call shape { limit } is read as the page size')
    let broke = 0
    for await (const agent of client.agents.iter(3)) {
      void agent
      if (++broke === 2) break
    }
    assert.equal(broke, 2)
    const sizes = (await t.journal('agents.list')).map((e) => e.query.limit)
    assert.ok(sizes.includes('5') && sizes.includes('4'), sizes.join(','))
  })

  test(`${shape}: a page size above the server's cap does not end the walk early`, async () => {
    const { client } = await withAgents(shape, shape === 'envelope' ? 130 : 30)
    let n = 0
    for await (const agent of client.agents.iter(shape === 'envelope' ? 150 : 500)) {
      void agent
      n++
    }
    assert.equal(n, shape === 'envelope' ? 130 : 30)
  })

  test(`${shape}: calls.iter with a filter, sms.campaigns.list keeps the official {campaigns}`, async () => {
    const t = await tenant({ list_shape: shape, call_ring_ms: 0, call_duration_ms: 0 })
    const client = t.client()
    const { agent, number } = await agentWithNumber(client)
    for (let i = 0; i < 3; i++) {
      await client.calls.create({ agent_id: agent.agent_id, to_number: `+4477009005${i}0`, prompt: 'Hello' })
    }
    const calls = []
    for await (const call of client.calls.iter({ agent_id: agent.agent_id, pageSize: 2 })) calls.push(call)
    assert.equal(calls.length, 3)
    const walked = await t.journal('calls.list')
    assert.ok(walked.every((e) => e.query.agent_id === agent.agent_id))
    await client.sms.campaigns.create({
      agent_id: agent.agent_id,
      from_number: number,
      name: 'Offer',
      message_template: 'Hi',
      recipients: [{ phone: '+447700900801' }],
      schedule_type: 'schedule',
      scheduled_at: '2030-01-01T09:00:00Z',
    })
    const { campaigns } = await client.sms.campaigns.list({ status: 'scheduled', limit: 10 })
    assert.equal(campaigns.length, 1)
    const [sent] = await t.journal('sms.campaigns.list')
    assert.deepEqual(sent.query, { status: 'scheduled', limit: '10' })
  })

  test(`${shape}: campaigns.iter and sms.campaigns.iter walk every campaign`, async () => {
    const t = await tenant({ list_shape: shape })
    const client = t.client()
    const { agent, number } = await agentWithNumber(client)
    const voice = []
    const sms = []
    for (let i = 0; i < 5; i++) {
      const when = { schedule_type: 'schedule', recipients: [{ phone: `+44770090090${i}` }] }
      voice.push((await client.campaigns.create({ agent_id: agent.agent_id, prompt: 'Remind', name: `V${i}`, scheduled_date: '2030-01-01', timezone: 'Europe/London', ...when })).campaign_id)
      sms.push((await client.sms.campaigns.create({ agent_id: agent.agent_id, from_number: number, name: `S${i}`, message_template: 'Hi', scheduled_at: '2030-01-01T09:00:00Z', ...when })).campaign_id)
    }
    const walkedVoice = []
    for await (const c of client.campaigns.iter({ pageSize: 2 })) walkedVoice.push(c.campaign_id)
    assert.deepEqual(walkedVoice.sort(), [...voice].sort())
    const walkedSms = []
    for await (const c of client.sms.campaigns.iter({ pageSize: 2, maxItems: 4 })) walkedSms.push(c.campaign_id)
    assert.equal(walkedSms.length, 4)
    assert.ok(walkedSms.every((id) => sms.includes(id)))
    assert.equal(new Set(walkedSms).size, 4)
  })
}

test('an empty list walks to nothing; maxItems 0 sends nothing', async () => {
  const t = await tenant()
  const client = t.client()
  for await (const a of client.agents.iter()) assert.fail(`unexpected ${a}`)
  for await (const a of client.agents.iter({ maxItems: 0 })) assert.fail(`unexpected ${a}`)
  assert.equal((await t.journal('agents.list')).length, 1)
  await assert.rejects(async () => {
    for await (const a of client.agents.iter(0)) void a
  }, { kind: 'invalid_request' })
})

test('an error mid-walk surfaces as its class and ends the walk', async () => {
  const t = await tenant()
  const client = t.client({ maxRetries: 0 })
  for (let i = 0; i < 6; i++) await client.agents.create({ name: `A${i}` })
  await t.faults('agents.list', [{ delay_ms: 1 }, { status: 500 }])
  const seen = []
  await assert.rejects(async () => {
    for await (const a of client.agents.iter(3)) seen.push(a)
  }, { name: 'NixflexServerError' })
  assert.equal(seen.length, 3, 'the first page, then the error')
})
