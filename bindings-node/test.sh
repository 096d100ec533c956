#!/usr/bin/env bash
# The Node package's tests, on a fresh machine with node 20+, npm and cargo: install the pinned
# dev tools, build the addon (debug) and the facade, type-check the examples with
# `tsc --strict`, run `node --test` against the mock (NIXFLEX_MOCK_URL, else one started here),
# and install the package from its folder into an empty project.
set -euo pipefail
cd "$(dirname "$0")"
repo=$(cd .. && pwd)

echo "==> node: npm ci"
npm ci --no-audit --no-fund --loglevel=error

echo "==> node: generated code is fresh"
python3 "$repo/tools/codegen/main.py" --check

echo "==> node: build the addon (debug) and the facade"
npx napi build --platform --js native.js --dts native.d.ts
npx tsc -p tsconfig.json
node scripts/build-esm.cjs
node scripts/build-cts.cjs

echo "==> node: tsc --strict on the examples"
npx tsc -p examples/tsconfig.json
npx tsc -p examples/tsconfig.json --noEmit false

mock_pid=""
cleanup() { if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT
if [ -z "${NIXFLEX_MOCK_URL:-}" ]; then
  echo "==> node: start the mock"
  cargo build --quiet -p nixflex-mock
  log=$(mktemp)
  "${CARGO_TARGET_DIR:-$repo/target}/debug/nixflex-mock" --port 0 >"$log" 2>&1 &
  mock_pid=$!
  for _ in $(seq 1 100); do [ -s "$log" ] && break; sleep 0.1; done
  NIXFLEX_MOCK_URL=$(head -n 1 "$log")
  export NIXFLEX_MOCK_URL
fi
echo "mock at $NIXFLEX_MOCK_URL"

echo "==> node: node --test"
node --test --test-concurrency=1 test/*.test.mjs

echo "==> node: the package's files: no native binary (each ships in its npm/<platform> package), CommonJS typings"
npm pack --dry-run --json 2>/dev/null | node -e "
  const [pkg] = JSON.parse(require('fs').readFileSync(0, 'utf8'))
  const files = pkg.files.map((f) => f.path)
  const binaries = files.filter((f) => f.endsWith('.node'))
  if (binaries.length > 0) throw new Error('a native binary would be published: ' + binaries.join(', '))
  for (const f of ['dist/index.js', 'dist/index.d.cts', 'esm/index.mjs', 'native.js']) {
    if (!files.includes(f)) throw new Error(f + ' would not be published')
  }
  console.log(files.length + ' files, no .node')
"

echo "==> node: npm install <path>/bindings-node in an empty project, ESM and CommonJS"
project=$(mktemp -d)
(
  cd "$project"
  npm init -y >/dev/null
  npm install --no-audit --no-fund --loglevel=error "$repo/bindings-node"
  node --input-type=module -e "import Nixflex, { NixflexError } from 'nixflex'; const c = new Nixflex({ apiKey: 'nxf_0123456789abcdef0123456789abcdef:nxfs_example' }); if (typeof c.agents.create !== 'function' || !(new NixflexError({kind:'x',message:'m'}) instanceof Error)) process.exit(1); console.log('import ok')"
  node -e "const Nixflex = require('nixflex'); const { Nixflex: Named } = require('nixflex'); if (Named !== Nixflex || typeof new Nixflex({ apiKey: 'nxf_0123456789abcdef0123456789abcdef:nxfs_example' }).calls.iter !== 'function') process.exit(1); console.log('require ok')"
)
rm -rf "$project"
echo "==> node: all tests passed"
