// Process lifetime (prompt exit, worker threads), both module systems, logging.
import test from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import Nixflex, * as esm from 'nixflex'
import { PACKAGE_DIR, tenant } from './helpers.mjs'

const fixture = (name) => path.join(PACKAGE_DIR, 'test', 'fixtures', name)

function run(file, env, timeout = 20_000) {
  return new Promise((resolve) => {
    const started = Date.now()
    const child = spawn(process.execPath, [file], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started })
    })
  })
}

test('the process exits promptly once the work is done', async () => {
  const t = await tenant()
  // The aborted request would hold a handle for 30 s; the script is killed after 15 s.
  await t.faults('usage.get', [{ delay_ms: 30_000 }])
  const r = await run(fixture('work.cjs'), { KEY: t.apiKey, URL: t.baseUrl }, 15_000)
  assert.equal(r.signal, null, 'killed: something kept the process alive')
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stdout.trim(), 'done')
  console.log(`clean exit: the script ended ${r.ms} ms after it started (client timeout 60 s)`)
})

test('works from worker_threads, several at once and one after another', async () => {
  const t = await tenant()
  const r = await run(fixture('worker.cjs'), { KEY: t.apiKey, URL: t.baseUrl })
  assert.equal(r.code, 0, r.stderr)
  const out = JSON.parse(r.stdout)
  for (const w of [out.a, out.b, out.c]) {
    assert.equal(w.agent, 'agent_')
    assert.equal(w.walked, true)
    assert.equal(w.err, 'NixflexNotFoundError')
  }
  assert.equal(out.total, 4)
})

test('require() and import give the same classes', () => {
  const require = createRequire(import.meta.url)
  const cjs = require('nixflex')
  assert.equal(cjs, Nixflex, 'require("nixflex") is the class')
  assert.equal(cjs.Nixflex, Nixflex)
  assert.equal(cjs.default, Nixflex)
  assert.equal(cjs.NixflexError, esm.NixflexError)
  const names = Object.keys(esm).filter((n) => n !== 'default').sort()
  for (const name of names) assert.equal(cjs[name], esm[name], name)
  assert.equal(typeof Nixflex.createKey, 'function')
})

test('NIXFLEX_LOG=debug traces calls to stderr, without the secret', async () => {
  const t = await tenant()
  const script = `const N = require('nixflex'); new N({ apiKey: process.env.KEY, baseUrl: process.env.URL }).usage.get().then(() => console.log('ok'))`
  const r = spawnSync(process.execPath, ['-e', script], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, KEY: t.apiKey, URL: t.baseUrl, NIXFLEX_LOG: 'debug' },
    encoding: 'utf8',
  })
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stderr, /nixflex\.call/)
  assert.match(r.stderr, /usage\.get/)
  assert.ok(!r.stderr.includes(t.keySecret), 'the secret never appears in logs')
  const quiet = spawnSync(process.execPath, ['-e', script], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, KEY: t.apiKey, URL: t.baseUrl, NIXFLEX_LOG: '' },
    encoding: 'utf8',
  })
  assert.equal(quiet.stderr, '')
})

test('the client never shows its secret', () => {
  const client = new Nixflex({ apiKey: 'nxf_0123456789abcdef0123456789abcdef:nxfs_topsecretvalue' })
  const shown = `${JSON.stringify(client)} ${String(client)} ${require('node:util').inspect(client, { depth: 5 })}`
  assert.ok(!shown.includes('topsecretvalue'), shown)
})

function require(id) {
  return createRequire(import.meta.url)(id)
}
