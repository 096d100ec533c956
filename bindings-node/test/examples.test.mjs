// The examples run unchanged against the mock: our quickstart, and code written for the official
// Node SDK 0.9. (test.sh compiles them to examples/.build with `tsc --strict` first.)
import test from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { PACKAGE_DIR, tenant } from './helpers.mjs'

for (const name of ['quickstart', 'official-0.9']) {
  const file = path.join(PACKAGE_DIR, 'examples', '.build', `${name}.mjs`)
  test(`examples/${name}.mts runs against the mock`, { skip: !existsSync(file) && 'not compiled' }, async () => {
    const t = await tenant({ call_ring_ms: 0, call_duration_ms: 0 })
    const r = spawnSync(process.execPath, [file], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, NIXFLEX_API_KEY: t.apiKey, NIXFLEX_BASE_URL: t.baseUrl },
      encoding: 'utf8',
      timeout: 30_000,
    })
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`)
  })
}
