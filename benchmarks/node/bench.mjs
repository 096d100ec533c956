// Benchmark driver for the Node clients, on the workloads of benchmarks/README.md.
//
// Clients: `ours` (the npm package `nixflex`, loaded from --pkg, a release build) and `fetch`
// (plain `fetch` + `.json()` doing the same requests as our SDK). Every command prints one JSON
// object on stdout:
//
//   node bench.mjs rates  --client C --url U --key K --write-key W [--duration S] [--warmup S] [--workloads a,b] [--pkg DIR]
//   node bench.mjs walk   --client C --url U --key K --mode iter|seq [--expect N] [--pkg DIR]
//   node bench.mjs memory --client C --url U --key K [--calls N] [--checkpoint N] [--concurrency C] [--pkg DIR]

import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'

const IN_FLIGHT = 32
const LIST_LEN = 25
const PAGE = 100
const SYSTEM_PROMPT =
  'You are the front desk of a dental practice. Greet the caller, find out what they need, ' +
  'book, move or cancel appointments, and answer questions about opening hours and prices. Be brief and friendly.'

function fail(message) {
  process.stderr.write(`bench.mjs: ${message}\n`)
  process.exit(1)
}

function parseArgs(argv) {
  const [command, ...rest] = argv
  const args = { command }
  for (let i = 0; i < rest.length; i += 2) {
    if (!rest[i].startsWith('--') || rest[i + 1] === undefined) fail(`bad argument ${rest[i]}`)
    args[rest[i].slice(2)] = rest[i + 1]
  }
  return args
}

function itemsOf(body, key) {
  if (Array.isArray(body)) return body
  if (body && Array.isArray(body[key])) return body[key]
  fail(`not a list body: ${JSON.stringify(body).slice(0, 200)}`)
}

function checkList(body) {
  const n = itemsOf(body, 'agents').length
  if (n !== LIST_LEN) fail(`agents.list returned ${n} agents`)
}

function checkAgent(body) {
  if (!body || typeof body.agent_id !== 'string') fail(`agents.create returned ${JSON.stringify(body).slice(0, 200)}`)
}

function checkUsage(body) {
  if (!body || typeof body !== 'object') fail('usage is not an object')
}

function loadOurs(pkg) {
  const require = createRequire(join(resolve(pkg), 'package.json'))
  return require(resolve(pkg))
}

/** usage / list / create / page as async functions. */
function makeClient(args) {
  const { url, key } = args
  const writeKey = args['write-key'] ?? key
  if (args.client === 'ours') {
    const Nixflex = loadOurs(args.pkg)
    const c = new Nixflex({ apiKey: key, baseUrl: url })
    const w = new Nixflex({ apiKey: writeKey, baseUrl: url })
    return {
      usage: () => c.usage.get(),
      list: () => c.agents.list(),
      create: () => w.agents.create({ name: 'Bench agent', system_prompt: SYSTEM_PROMPT }),
      page: (limit, offset) => c.calls.list({ limit, offset }),
      iter: () => c.calls.iter(),
    }
  }
  if (args.client === 'fetch') {
    const base = url.replace(/\/$/, '')
    const headers = (k) => ({
      authorization: `Bearer ${k}`,
      accept: 'application/json',
      'user-agent': 'nixflex-bench-fetch/0',
    })
    const readHeaders = headers(key)
    const writeHeaders = headers(writeKey)
    const get = async (path) => {
      const r = await fetch(base + path, { headers: readHeaders })
      if (r.status !== 200) fail(`GET ${path}: ${r.status}`)
      return r.json()
    }
    return {
      usage: () => get('/v1/usage'),
      list: () => get('/v1/agents'),
      create: async () => {
        const r = await fetch(base + '/v1/agents', {
          method: 'POST',
          headers: { ...writeHeaders, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          body: JSON.stringify({ name: 'Bench agent', system_prompt: SYSTEM_PROMPT }),
        })
        if (r.status !== 200 && r.status !== 201) fail(`POST /v1/agents: ${r.status}`)
        return r.json()
      },
      page: async (limit, offset) => itemsOf(await get(`/v1/calls?limit=${limit}&offset=${offset}`), 'calls'),
      iter: null,
    }
  }
  fail(`unknown client ${args.client}`)
}

function step(c, workload) {
  switch (workload) {
    case 'usage_seq':
      return async () => checkUsage(await c.usage())
    case 'list25_seq':
    case 'list25_c32':
      return async () => checkList(await c.list())
    case 'create_seq':
      return async () => checkAgent(await c.create())
    default:
      fail(`unknown workload ${workload}`)
  }
}

async function timed(fn, concurrency, seconds) {
  const start = performance.now()
  const deadline = start + seconds * 1000
  const worker = async () => {
    let n = 0
    while (performance.now() < deadline) {
      await fn()
      n++
    }
    return n
  }
  const counts = await Promise.all(Array.from({ length: concurrency }, worker))
  const total = counts.reduce((a, b) => a + b, 0)
  return [total, (performance.now() - start) / 1000]
}

async function rates(args) {
  const c = makeClient(args)
  const duration = Number(args.duration ?? 1.5)
  const warmup = Number(args.warmup ?? 0.3)
  const out = {}
  for (const w of (args.workloads ?? 'usage_seq,list25_seq,list25_c32,create_seq').split(',').filter(Boolean)) {
    const fn = step(c, w)
    const concurrency = w.endsWith('_c32') ? IN_FLIGHT : 1
    await timed(fn, concurrency, warmup)
    const [ops, seconds] = await timed(fn, concurrency, duration)
    out[w] = { ops, seconds, rate: ops / seconds }
  }
  return { client: args.client, workloads: out }
}

async function walk(args) {
  const c = makeClient(args)
  const mode = args.mode ?? 'iter'
  const expect = Number(args.expect ?? 0)
  let items = 0
  let pages = null
  const start = performance.now()
  if (mode === 'iter') {
    if (!c.iter) fail(`${args.client} has no iterator`)
    for await (const _call of c.iter()) items++
  } else {
    // What the official SDKs do: one page after the other until a short page.
    pages = 0
    let offset = 0
    for (;;) {
      const page = await c.page(PAGE, offset)
      pages++
      items += page.length
      offset += page.length
      if (page.length < PAGE) break
    }
  }
  const seconds = (performance.now() - start) / 1000
  if (expect && items !== expect) fail(`the walk saw ${items} items, expected ${expect}`)
  return { client: args.client, mode, items, pages, seconds }
}

function rssMb() {
  const status = readFileSync('/proc/self/status', 'utf8')
  const field = (name) => {
    const m = status.match(new RegExp(`^${name}:\\s+(\\d+)`, 'm'))
    return m ? Number(m[1]) / 1024 : 0
  }
  return [field('VmRSS'), field('VmHWM')]
}

async function memory(args) {
  const c = makeClient(args)
  const calls = Number(args.calls ?? 100000)
  const checkpoint = Number(args.checkpoint ?? 10000)
  const concurrency = Number(args.concurrency ?? IN_FLIGHT)
  const points = {}
  const start = performance.now()
  let done = 0
  for (const target of [Math.min(checkpoint, calls), calls]) {
    let left = target - done
    const worker = async () => {
      while (left > 0) {
        left--
        checkUsage(await c.usage())
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
    done = target
    points[String(done)] = rssMb()[0]
  }
  return {
    client: args.client,
    calls,
    concurrency,
    rss_mb: points,
    peak_rss_mb: rssMb()[1],
    seconds: (performance.now() - start) / 1000,
  }
}

const args = parseArgs(process.argv.slice(2))
const command = { rates, walk, memory }[args.command]
if (!command) fail('usage: node bench.mjs rates|walk|memory --client C --url U --key K ...')
const result = await command(args)
process.stdout.write(JSON.stringify(result) + '\n')
