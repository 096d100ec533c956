# Shared by the scripts: step banners and one mock server process.

step() { printf '\n==> %s\n' "$*"; }

# Builds and starts nixflex-mock on a free port; exports NIXFLEX_MOCK_URL.
start_mock() {
  cargo build --quiet -p nixflex-mock
  local log
  log=$(mktemp)
  ./target/debug/nixflex-mock --port 0 "$@" >"$log" 2>&1 &
  MOCK_PID=$!
  for _ in $(seq 1 100); do
    if [ -s "$log" ]; then break; fi
    sleep 0.1
  done
  NIXFLEX_MOCK_URL=$(head -n 1 "$log")
  case "$NIXFLEX_MOCK_URL" in
    http://*) ;;
    *) echo "the mock server did not start:"; cat "$log"; exit 1 ;;
  esac
  export NIXFLEX_MOCK_URL MOCK_PID
  echo "mock server at $NIXFLEX_MOCK_URL (pid $MOCK_PID)"
}

stop_mock() {
  if [ -n "${MOCK_PID:-}" ]; then kill "$MOCK_PID" 2>/dev/null || true; fi
}
