// 500 outbound calls under 30% random faults (503, 429, connections dropped after the work is
// done, responses slower than the timeout) create exactly 500 calls: none dialled twice, none
// lost. A call that exhausts its retries is re-issued with the idempotency key its error carries.
import test from 'node:test'
import assert from 'node:assert/strict'
import { agentWithNumber, sleep, tenant } from './helpers.mjs'

const CALLS = 500
const IN_FLIGHT = 16

test(`exactly once: ${CALLS} calls under 30% faults`, async () => {
  const t = await tenant({ journal: false })
  const { agent } = await agentWithNumber(t.client())
  await t.arm({
    operation: 'calls.create',
    random: {
      probability: 0.3,
      seed: 20261203,
      choices: [{ status: 503 }, { status: 429, retry_after: '0' }, { drop: 'after' }, { delay_ms: 1200 }],
    },
  })
  const client = t.client({ timeoutMs: 400, maxRetries: 2 })
  let attempts = 0
  let reissued = 0
  const ids = []
  let next = 0
  const started = Date.now()
  async function worker() {
    while (next < CALLS) {
      const i = next++
      const body = { agent_id: agent.agent_id, to_number: `+4477009${String(i).padStart(5, '0')}`, prompt: 'Confirm the booking' }
      let options = {}
      for (;;) {
        try {
          const { data, response } = await client.calls.create(body, options).withResponse()
          attempts += response.attempts
          ids.push(data.call_id)
          break
        } catch (err) {
          attempts += err.attempts
          reissued++
          assert.ok(err.idempotencyKey, `${err.name}: ${err.message}`)
          options = { idempotencyKey: err.idempotencyKey }
        }
      }
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
  const elapsed = Date.now() - started
  await sleep(1500) // let delayed first attempts land
  const created = (await t.counts()).calls
  const unique = new Set(ids).size
  console.log(
    `exactly-once (node): ${CALLS} logical calls, ${attempts} HTTP attempts, ${reissued} re-issued after exhausting retries, ` +
      `${unique} distinct call ids, ${created} calls on the mock, ${elapsed} ms`,
  )
  assert.equal(unique, CALLS)
  assert.equal(created, CALLS + 0)
  assert.ok(attempts > CALLS, 'faults were injected')
})
