// Test support: the real mock server (NIXFLEX_MOCK_URL, else one started here) and one fresh
// tenant per test, with the mock's admin API (faults, journal, config, counts).
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import Nixflex from 'nixflex'

export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const REPO = path.resolve(PACKAGE_DIR, '..')

let started
async function startMock() {
  const bin = path.join(process.env.CARGO_TARGET_DIR ?? path.join(REPO, 'target'), 'debug', 'nixflex-mock')
  const child = spawn(bin, ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const [chunk] = await once(child.stdout, 'data')
  const url = chunk.toString().split('\n')[0].trim()
  child.stdout.destroy()
  child.unref()
  process.on('exit', () => child.kill())
  return url
}

/** The mock's base URL. */
export async function mockUrl() {
  if (process.env.NIXFLEX_MOCK_URL) return process.env.NIXFLEX_MOCK_URL.replace(/\/$/, '')
  started ??= startMock()
  return started
}

async function admin(method, route, body) {
  const url = `${await mockUrl()}${route}`
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : undefined
}

/** A fresh tenant of the mock. */
export async function tenant(config) {
  const t = await admin('POST', '/__mock/tenants')
  const base = await mockUrl()
  const self = {
    keyId: t.key_id,
    keySecret: t.key_secret,
    apiKey: t.api_key,
    baseUrl: base,
    /** A client of this tenant (fast retries are the core's; only the timeout is shortened). */
    client: (options = {}) => new Nixflex({ apiKey: t.api_key, baseUrl: base, timeoutMs: 10_000, ...options }),
    configure: (cfg) => admin('PUT', `/__mock/tenants/${t.key_id}/config`, cfg),
    /** Queues faults for one operation (consumed in order). */
    faults: (operation, faults) => admin('POST', '/__mock/faults', { key_id: t.key_id, operation, faults }),
    arm: (body) => admin('POST', '/__mock/faults', { key_id: t.key_id, ...body }),
    clearFaults: () => admin('DELETE', `/__mock/faults?key_id=${t.key_id}`),
    journal: async (operation) => {
      const q = operation ? `&operation=${encodeURIComponent(operation)}` : ''
      return (await admin('GET', `/__mock/journal?key_id=${t.key_id}${q}`)).requests
    },
    counts: () => admin('GET', `/__mock/tenants/${t.key_id}/counts`),
    deliveries: async () => (await admin('GET', `/__mock/webhooks?key_id=${t.key_id}`)).deliveries,
  }
  if (config) await self.configure(config)
  return self
}

/** An agent and an imported number of the tenant. */
export async function agentWithNumber(client, number = '+447700900001') {
  const agent = await client.agents.create({ name: 'Front desk' })
  await client.phoneNumbers.import({
    phone_number: number,
    agent_id: agent.agent_id,
    twilio_sid: `AC${'ab'.repeat(16)}`,
    twilio_token: 'token',
  })
  return { agent, number }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
