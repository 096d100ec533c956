// The examples run unchanged against the mock: our quickstart, code written for the official
// Node SDK 0.9, and CommonJS code. test.sh compiles them to examples/.build with `tsc --strict`
// first; an example that was not compiled is a failure, not a skip.
import test from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { PACKAGE_DIR, tenant } from './helpers.mjs'

for (const file of ['quickstart.mjs', 'official-0.9.mjs', 'require.cjs']) {
  const built = path.join(PACKAGE_DIR, 'examples', '.build', file)
  test(`examples/${file.replace(/\.(m|c)js$/, '.$1ts')} runs against the mock`, async () => {
    assert.ok(existsSync(built), `${built} is missing: run \`npx tsc -p examples/tsconfig.json --noEmit false\` first`)
    const t = await tenant({ call_ring_ms: 0, call_duration_ms: 0 })
    const r = spawnSync(process.execPath, [built], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, NIXFLEX_API_KEY: t.apiKey, NIXFLEX_BASE_URL: t.baseUrl },
      encoding: 'utf8',
      timeout: 30_000,
    })
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`)
  })
}
