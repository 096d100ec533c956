"""Runs every benchmark on one mock server and writes the raw results (``benchmarks/run`` calls it
after building). Standard library only; the drivers print JSON, this collects it.

    python3 harness.py --mock PATH --rust-bench PATH --py-ours PY --py-official PY --node-pkg DIR
                       --out results/raw.json [--quick] [--reps N] [--kotlin CMD]

Rates are interleaved: each repetition runs every client once, in a rotating order, so a burst of
load from elsewhere on the machine hits all clients alike; the report takes the median.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path
from typing import Any, Dict, List, Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WALK_CALLS = 10_000
WALK_DELAY_MS = 20
JVM_WARMUP_S = 2.0
SYSTEM_PROMPT = (
    "You are the front desk of a dental practice. Greet the caller, find out what they need, "
    "book, move or cancel appointments, and answer questions about opening hours and prices. Be brief and friendly."
)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the mock ------------------------------------------------------------------------------


class Mock:
    def __init__(self, binary: str) -> None:
        self.proc = subprocess.Popen(
            [binary, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http"):
            raise SystemExit(f"the mock did not start: {self.url!r}")

    def request(self, method: str, path: str, body: Any = None, key: Optional[str] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if key:
            req.add_header("Authorization", f"Bearer {key}")
        with urllib.request.urlopen(req, timeout=120) as res:
            raw = res.read()
        return json.loads(raw) if raw else None

    def tenant(self) -> Dict[str, str]:
        t = self.request("POST", "/__mock/tenants")
        self.request("PUT", f"/__mock/tenants/{t['key_id']}/config", {"journal": False})
        return t

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def seed_read(mock: Mock) -> Dict[str, str]:
    """A tenant with exactly 25 agents: `agents.list` returns them all in one page (~35 KB)."""
    t = mock.tenant()
    for i in range(25):
        mock.request(
            "POST",
            "/v1/agents",
            {
                "name": f"Agent {i:02d}",
                "system_prompt": SYSTEM_PROMPT,
                "welcome_message": "Hello! How can I help you today?",
            },
            t["api_key"],
        )
    return t


def seed_walk(mock: Mock) -> Dict[str, str]:
    """A tenant with 10,000 calls (one voice campaign of 10,000 recipients), and 20 ms of latency
    injected on every `calls.list`."""
    t = mock.tenant()
    key = t["api_key"]
    agent = mock.request("POST", "/v1/agents", {"name": "Walker", "system_prompt": SYSTEM_PROMPT}, key)
    number = "+447700900001"
    mock.request(
        "POST",
        "/v1/phone-numbers",
        {"phone_number": number, "agent_id": agent["agent_id"], "twilio_sid": "AC" + "0" * 32, "twilio_token": "token"},
        key,
    )
    recipients = [{"phone": f"+4477009{i:05d}"} for i in range(WALK_CALLS)]
    mock.request(
        "POST",
        "/v1/calls/batch",
        {
            "agent_id": agent["agent_id"],
            "from_number": number,
            "prompt": "Confirm the appointment",
            "recipients": recipients,
        },
        key,
    )
    # Let every call reach `completed` (ring 200 ms + 1 s by default): the walk reads finished
    # calls, with their transcripts, as a real account's history is.
    time.sleep(1.5)
    counts = mock.request("GET", f"/__mock/tenants/{t['key_id']}/counts")
    if counts["calls"] != WALK_CALLS:
        raise SystemExit(f"the walk tenant holds {counts['calls']} calls, expected {WALK_CALLS}")
    mock.request(
        "POST",
        "/__mock/faults",
        {
            "key_id": t["key_id"],
            "operation": "calls.list",
            "random": {"probability": 1.0, "seed": 1, "choices": [{"delay_ms": WALK_DELAY_MS}]},
        },
    )
    start = time.perf_counter()
    mock.request("GET", "/v1/calls?limit=1", key=key)
    waited = (time.perf_counter() - start) * 1000
    if waited < WALK_DELAY_MS:
        raise SystemExit(f"the latency fault is not applied ({waited:.1f} ms)")
    return t


# --- drivers -------------------------------------------------------------------------------


class Clients:
    """The command line of each client's driver."""

    def __init__(self, a: argparse.Namespace) -> None:
        self.a = a
        py = str(HERE / "python" / "bench.py")
        node = ["node", str(HERE / "node" / "bench.mjs")]
        self.cmd: Dict[str, List[str]] = {
            "rust-floor": [a.rust_bench, "{command}", "--client", "floor"],
            "rust-core": [a.rust_bench, "{command}", "--client", "core"],
            "py-ours-sync": [a.py_ours, py, "{command}", "--client", "ours-sync"],
            "py-ours-async": [a.py_ours, py, "{command}", "--client", "ours-async"],
            "py-official-sync": [a.py_official, py, "{command}", "--client", "official-sync"],
            "py-official-async": [a.py_official, py, "{command}", "--client", "official-async"],
            "py-httpx-sync": [a.py_official, py, "{command}", "--client", "httpx-sync"],
            "py-httpx-async": [a.py_official, py, "{command}", "--client", "httpx-async"],
            "node-ours": [*node, "{command}", "--client", "ours", "--pkg", a.node_pkg],
            "node-fetch": [*node, "{command}", "--client", "fetch", "--pkg", a.node_pkg],
        }
        if a.kotlin:
            self.cmd["kotlin-ours"] = [*shlex.split(a.kotlin), "{command}", "--client", "ours"]

    def run(self, client: str, command: str, *args: str, timeout: float = 600) -> Dict[str, Any]:
        argv = [part.replace("{command}", command) for part in self.cmd[client]] + list(args)
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            raise SystemExit(f"{client} {command} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        result: Dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
        return result


SYNC = {"py-ours-sync", "py-official-sync", "py-httpx-sync"}


def workloads_of(client: str) -> str:
    base = ["usage_seq", "list25_seq", "create_seq"]
    if client not in SYNC:
        base.insert(2, "list25_c32")
    return ",".join(base)


LOAD_SAMPLES: List[List[float]] = []


def load() -> List[float]:
    """The load averages now (1, 5, 15 minutes), also kept for the report."""
    sample = [round(x, 2) for x in os.getloadavg()]
    LOAD_SAMPLES.append(sample)
    return sample


def bench_rates(
    mock: Mock, clients: Clients, read: Dict[str, str], reps: int, duration: float, warmup: float
) -> Dict[str, Any]:
    names = list(clients.cmd)
    runs: Dict[str, Dict[str, List[float]]] = {n: {} for n in names}
    for rep in range(reps):
        order = names[rep % len(names) :] + names[: rep % len(names)]
        log(f"rates: repetition {rep + 1}/{reps} (load {load()})")
        for name in order:
            write = mock.tenant()
            # The JVM compiles hot code after it has run a while: it gets a longer warm-up.
            warm = max(warmup, JVM_WARMUP_S) if name.startswith("kotlin") else warmup
            result = clients.run(
                name,
                "rates",
                "--url",
                mock.url,
                "--key",
                read["api_key"],
                "--write-key",
                write["api_key"],
                "--duration",
                str(duration),
                "--warmup",
                str(warm),
                "--workloads",
                workloads_of(name),
            )
            for w, m in result["workloads"].items():
                runs[name].setdefault(w, []).append(m["rate"])
    return {"duration_s": duration, "warmup_s": warmup, "repetitions": reps, "runs": runs}


WALKS = [
    ("rust-core", "iter"),
    ("rust-core", "seq"),
    ("py-ours-sync", "iter"),
    ("py-ours-async", "iter"),
    ("py-ours-sync", "seq"),
    ("py-official-sync", "seq"),
    ("node-ours", "iter"),
    ("node-ours", "seq"),
    ("node-fetch", "seq"),
]


def mock_ceiling(clients: Clients, mock: Mock, key: str, connections: int) -> float:
    """The best any client can do on the walk tenant (reqwest, offsets known in advance, bodies
    read but not parsed, `connections` requests at once). The mock builds each page under its
    tenant's lock, on the 2 cores the clients use too: this bounds every iterator."""
    r = clients.run(
        "rust-floor",
        "ceiling",
        "--url",
        mock.url,
        "--key",
        key,
        "--calls",
        str(WALK_CALLS),
        "--connections",
        str(connections),
    )
    return float(r["seconds"])


def bench_mock(mock: Mock, clients: Clients, read: Dict[str, str], reps: int) -> Dict[str, Any]:
    """The mock's own rate: bare reqwest, 64 `usage.get` in flight, bodies read, not parsed. It shares the
    2 cores with that client, so this is a floor on what the mock serves, and shows it is never
    what limits a client here."""
    rates = []
    for rep in range(reps):
        r = clients.run("rust-floor", "mock-rate", "--url", mock.url, "--key", read["api_key"], "--duration", "2")
        rates.append(float(r["rate"]))
    return {"connections": 64, "workload": "usage.get", "rates": rates}


def bench_walk(mock: Mock, clients: Clients, walk: Dict[str, str], reps: int) -> Dict[str, Any]:
    runs: Dict[str, List[Dict[str, Any]]] = {}
    walks = WALKS + ([("kotlin-ours", "iter"), ("kotlin-ours", "seq")] if "kotlin-ours" in clients.cmd else [])
    for rep in range(reps):
        log(f"walk: repetition {rep + 1}/{reps} (load {load()})")
        for client, mode in walks:
            r = clients.run(
                client, "walk", "--url", mock.url, "--key", walk["api_key"], "--mode", mode, "--expect", str(WALK_CALLS)
            )
            runs.setdefault(f"{client}:{mode}", []).append({"seconds": r["seconds"], "pages": r.get("pages")})
        for connections in (1, 8):
            seconds = mock_ceiling(clients, mock, walk["api_key"], connections)
            runs.setdefault(f"mock-ceiling:{connections}", []).append({"seconds": seconds, "pages": WALK_CALLS // 100})
    return {"calls": WALK_CALLS, "delay_ms": WALK_DELAY_MS, "page_size": 100, "runs": runs}


MEMORY = [
    ("rust-floor", 32),
    ("rust-core", 32),
    ("py-ours-sync", 1),
    ("py-ours-async", 32),
    ("node-ours", 32),
    ("node-fetch", 32),
]


def bench_memory(mock: Mock, clients: Clients, calls: int, checkpoint: int) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for client, concurrency in MEMORY + ([("kotlin-ours", 32)] if "kotlin-ours" in clients.cmd else []):
        t = mock.tenant()
        log(f"memory: {client}, {calls} calls (load {load()})")
        out[client] = clients.run(
            client,
            "memory",
            "--url",
            mock.url,
            "--key",
            t["api_key"],
            "--calls",
            str(calls),
            "--checkpoint",
            str(checkpoint),
            "--concurrency",
            str(concurrency),
            timeout=1200,
        )
    return out


def bench_cold(mock: Mock, a: argparse.Namespace, runs: int) -> Dict[str, Any]:
    t = mock.tenant()
    key, url = t["api_key"], mock.url
    pkg = str(Path(a.node_pkg).resolve())
    first_py = f"import nixflex; c = nixflex.Nixflex({key!r}, base_url={url!r}); assert isinstance(c.usage.get(), dict)"
    hdrs = json.dumps({"authorization": f"Bearer {key}", "accept": "application/json"})
    commands = {
        "python (interpreter only)": [a.py_ours, "-c", "pass"],
        "py-ours: import": [a.py_ours, "-c", "import nixflex"],
        "py-official: import": [a.py_official, "-c", "import nixflex"],
        "py-ours: import + first call": [a.py_ours, "-c", first_py],
        "py-official: import + first call": [a.py_official, "-c", first_py],
        "node (runtime only)": ["node", "-e", "0"],
        "node-ours: require": ["node", "-e", f"require({json.dumps(pkg)})"],
        "node-ours: require + first call": [
            "node",
            "-e",
            f"const N = require({json.dumps(pkg)}); new N({{ apiKey: {json.dumps(key)}, baseUrl: {json.dumps(url)} }})"
            ".usage.get().then((u) => { if (typeof u !== 'object') process.exit(1) })",
        ],
        "node-fetch: first call": [
            "node",
            "-e",
            f"fetch({json.dumps(url + '/v1/usage')}, {{ headers: {hdrs} }}).then((r) => r.json())"
            ".then((u) => { if (typeof u !== 'object') process.exit(1) })",
        ],
    }
    times: Dict[str, List[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            start = time.perf_counter()
            proc = subprocess.run(argv, capture_output=True, text=True, cwd="/tmp")
            elapsed = (time.perf_counter() - start) * 1000
            if proc.returncode != 0:
                raise SystemExit(f"cold start {name!r} failed:\n{proc.stderr[-2000:]}")
            times[name].append(elapsed)
    return {"runs": runs, "ms": times}


# --- sizes and the machine -----------------------------------------------------------------


def sizes(a: argparse.Namespace) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    if a.wheel:
        wheel = Path(a.wheel)
        out["python wheel (.whl)"] = wheel.stat().st_size
        with zipfile.ZipFile(wheel) as z:
            for info in z.infolist():
                if info.filename.endswith(".so"):
                    out[f"python extension ({Path(info.filename).name}, unpacked)"] = info.file_size
    node = sorted(Path(a.node_pkg).glob("*.node"))
    for n in node:
        out[f"node addon ({n.name})"] = n.stat().st_size
    for lib in a.shared_lib or []:
        p = Path(lib)
        if p.exists():
            out[f"shared library ({p.name})"] = p.stat().st_size
    return out


def command_output(argv: List[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip().splitlines()[0]
    except Exception:  # noqa: BLE001 - a missing tool is reported as such
        return "n/a"


OFFICIAL_VERSIONS = (
    "import importlib.metadata as m; print('nixflex', m.version('nixflex'), '+ httpx', m.version('httpx'))"
)


def machine(a: argparse.Namespace) -> Dict[str, Any]:
    cpu = "unknown"
    try:
        m = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = m.group(1) if m else cpu
    except OSError:
        pass
    mem = "unknown"
    try:
        m = re.search(r"^MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text(), re.M)
        mem = f"{int(m.group(1)) / 1024 / 1024:.1f} GiB" if m else mem
    except OSError:
        pass
    os_name = platform.platform()
    try:
        m = re.search(r'^PRETTY_NAME="?([^"\n]+)', Path("/etc/os-release").read_text(), re.M)
        os_name = f"{m.group(1)} (Linux {platform.release()})" if m else os_name
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "os": os_name,
        "rustc": command_output(["rustc", "--version"]),
        "python": command_output([a.py_ours, "--version"]),
        "node": command_output(["node", "--version"]),
        "java": command_output(["java", "-version"]) if a.kotlin else "n/a",
        "official_sdk": command_output([a.py_official, "-c", OFFICIAL_VERSIONS]),
        "ours_python": command_output([a.py_ours, "-c", "import nixflex; print('nixflex', nixflex.__version__)"]),
        "git": command_output(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
    }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--mock", required=True)
    p.add_argument("--rust-bench", required=True)
    p.add_argument("--py-ours", required=True)
    p.add_argument("--py-official", required=True)
    p.add_argument("--node-pkg", required=True)
    p.add_argument("--wheel")
    p.add_argument("--shared-lib", action="append")
    p.add_argument("--kotlin", help="command line of the Kotlin driver, when it builds")
    p.add_argument("--kotlin-skip-reason", default="")
    p.add_argument("--out", required=True)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--only", help="comma-separated sections: rates,walk,memory,cold,sizes")
    p.add_argument(
        "--normal-priority",
        action="store_true",
        help="do not raise the priority of the mock and the drivers (nice -10 when allowed)",
    )
    a = p.parse_args()
    # Absolute paths (cold starts run from another directory), without resolving symlinks: a
    # venv's python is a symlink, and resolving it would leave the venv.
    for name in ("mock", "rust_bench", "py_ours", "py_official", "node_pkg", "out", "wheel"):
        if getattr(a, name):
            setattr(a, name, os.path.abspath(getattr(a, name)))

    # The mock and every driver inherit this: builds sharing the machine then disturb the
    # measurements less. All clients get the same priority; the report says which.
    priority = "normal"
    if not a.normal_priority:
        try:
            os.nice(-10)
            priority = "nice -10 (mock and drivers)"
        except OSError:
            pass

    quick = a.quick
    sections = set((a.only or "rates,walk,memory,cold,sizes").split(","))
    params = {
        "rates_reps": 2 if quick else 5,
        "rates_duration_s": 0.7 if quick else 1.5,
        "rates_warmup_s": 0.2 if quick else 0.3,
        "walk_reps": 1 if quick else 3,
        "memory_calls": 20_000 if quick else 100_000,
        "memory_checkpoint": 2_000 if quick else 10_000,
        "cold_runs": 3 if quick else 10,
    }
    started = time.time()
    out: Dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "quick": quick,
        "params": params,
        "load_before": load(),
        "machine": machine(a),
        "priority": priority,
    }
    if not a.kotlin:
        out["kotlin"] = {"measured": False, "reason": a.kotlin_skip_reason or "no Kotlin driver"}
    mock = Mock(a.mock)
    log(f"mock at {mock.url}")
    try:
        clients = Clients(a)
        read = seed_read(mock)
        if "rates" in sections:
            out["rates"] = bench_rates(
                mock, clients, read, params["rates_reps"], params["rates_duration_s"], params["rates_warmup_s"]
            )
        if "rates" in sections:
            log("the mock alone")
            out["mock"] = bench_mock(mock, clients, read, 3)
        if "walk" in sections:
            log("walk: seeding 10,000 calls")
            walk = seed_walk(mock)
            out["walk"] = bench_walk(mock, clients, walk, params["walk_reps"])
        if "memory" in sections:
            out["memory"] = bench_memory(mock, clients, params["memory_calls"], params["memory_checkpoint"])
        if "cold" in sections:
            log("cold start")
            out["cold_start"] = bench_cold(mock, a, params["cold_runs"])
        if "sizes" in sections:
            out["sizes"] = sizes(a)
    finally:
        mock.stop()
    out["load_after"] = load()
    out["load_samples"] = LOAD_SAMPLES[1:-1]
    out["seconds"] = round(time.time() - started, 1)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(out, indent=2) + "\n")
    log(f"measured in {out['seconds']} s; raw results in {a.out}")


if __name__ == "__main__":
    main()
