// 500 outbound calls under 30% random faults (503, 429, connections dropped after the work is
// done, delays past the timeout before the work and after it) create exactly 500 calls: none
// dialled twice, none lost. A call that exhausts its retries is re-issued with the idempotency
// key its error carries.
import test from 'node:test'
import assert from 'node:assert/strict'
import { agentWithNumber, sleep, tenant } from './helpers.mjs'

const CALLS = 500
const IN_FLIGHT = 16
// A call still failing after this many re-issues is lost: the test fails instead of hanging.
const MAX_REISSUES = 20

test(`exactly once: ${CALLS} calls under 30% faults`, async () => {
  const t = await tenant({ journal: true })
  const { agent } = await agentWithNumber(t.client())
  await t.arm({
    operation: 'calls.create',
    random: {
      probability: 0.3,
      seed: 20261203,
      choices: [{ status: 503 }, { status: 429, retry_after: '0' }, { drop: 'after' }, { delay_ms: 1200 }, { delay_after_ms: 1200 }],
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
      for (let tries = 0; ; tries++) {
        assert.ok(tries <= MAX_REISSUES, `call ${i} still failed after ${MAX_REISSUES} re-issues`)
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
  const journal = await t.journal('calls.create')
  const faulted = journal.filter((e) => e.fault).length
  const replayed = journal.filter((e) => e.replayed).length
  // From the request headers: a faulted attempt is answered before the mock parses its key.
  const keySet = new Set(journal.map((e) => e.headers['idempotency-key']))
  assert.ok(!keySet.has(undefined), 'every attempt carries a key')
  const keys = keySet.size
  console.log(
    `exactly-once (node): ${CALLS} logical calls.create, ${journal.length} requests received (${faulted} faulted), ` +
      `${attempts} attempts seen by the client, ${reissued} re-issued with their key after exhausting retries, ` +
      `${replayed} idempotent replays, ${keys} keys, ${unique} distinct call ids, ${created} calls on the mock, ${elapsed} ms`,
  )
  assert.equal(unique, CALLS)
  assert.equal(created, CALLS)
  assert.equal(keys, CALLS, 'one idempotency key per logical call')
  assert.ok(faulted * 5 > journal.length, 'about 30% of the requests were faulted')
  assert.ok(replayed > 0, 'work done under a fault was replayed')
  assert.ok(reissued > 0, 'some calls exhausted their retries and were re-issued')
})
