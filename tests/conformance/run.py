#!/usr/bin/env python3
"""Runs every conformance runner against one mock server and prints a scenario × language table.

    NIXFLEX_MOCK_URL=http://127.0.0.1:PORT python3 tests/conformance/run.py
    python3 tests/conformance/run.py --only rust,node --scenario retries. --scenario paths.
    python3 tests/conformance/run.py --require rust,python-sync,python-async,node,kotlin

Each runner is a command (declared in RUNNERS below) that runs the scenarios through one
language's public API and prints one JSON line per scenario:
``{"scenario", "language", "ok", "detail", "trace"}``, the trace saying what each step did (the
outcome, an error's kind, status, code and attempts, the items a walk gave, webhook verdicts). A
runner whose binding is not built is listed as not run, with the reason. The run fails when any
scenario fails in any language that ran, when two languages' traces of a scenario differ, when a
runner that ran left a scenario out, when a required runner could not run, or when an operation
of spec/ has no scenario.

Without NIXFLEX_MOCK_URL a mock is started here (target/debug/nixflex-mock). Standard library
only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCENARIOS = HERE / "scenarios"
TIMEOUT_S = 1200


def _exists(*paths: Path) -> Optional[str]:
    missing = [str(p.relative_to(ROOT)) for p in paths if not p.exists()]
    return f"not built ({', '.join(missing)} missing)" if missing else None


def _python() -> str:
    """The interpreter that has the `nixflex` package: NIXFLEX_CONFORMANCE_PYTHON, else the
    binding's virtualenv, else this one."""
    chosen = os.environ.get("NIXFLEX_CONFORMANCE_PYTHON")
    if chosen:
        return chosen
    venv = ROOT / "bindings-python" / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


_PY_ENV: Optional[dict[str, str]] = None


def _imports(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_python(), "-c", "import nixflex; nixflex.Nixflex; nixflex.AsyncNixflex"],
        capture_output=True, text=True, env={**os.environ, **env}, cwd=str(HERE), check=False,
    )


def _python_env() -> dict[str, str]:
    """The installed package (bindings-python/test.sh pip-installs it into its venv), else the
    facade from the source tree (its native module built next to it by `maturin develop`)."""
    global _PY_ENV
    if _PY_ENV is None:
        if _imports({}).returncode == 0:
            _PY_ENV = {}
        else:
            path = str(ROOT / "bindings-python" / "python")
            current = os.environ.get("PYTHONPATH")
            _PY_ENV = {"PYTHONPATH": f"{current}{os.pathsep}{path}" if current else path}
    return _PY_ENV


def _python_ready() -> Optional[str]:
    probe = _imports(_python_env())
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["import failed"])[-1]
        return f"the nixflex package does not import ({last}); bindings-python/test.sh installs it"
    return None


def _node_ready() -> Optional[str]:
    if shutil.which("node") is None:
        return "no node on PATH"
    binding = ROOT / "bindings-node"
    missing = _exists(binding / "esm" / "index.mjs", binding / "dist" / "index.js", binding / "native.js")
    if missing:
        return missing
    if not list(binding.glob("*.node")):
        return "not built (no bindings-node/*.node addon)"
    # `import Nixflex from 'nixflex'` resolves through node_modules, as in a user's project.
    link = HERE / "node" / "node_modules" / "nixflex"
    if not link.exists():
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink():
            link.unlink()
        link.symlink_to(os.path.relpath(binding, link.parent), target_is_directory=True)
    return None


def _kotlin_ready() -> Optional[str]:
    if shutil.which("mvn") is None:
        return "no mvn on PATH"
    sources = ROOT / "bindings-kotlin" / "src" / "main" / "kotlin" / "com" / "nixflex" / "nixflex_ffi.kt"
    missing = _exists(sources)
    if missing:
        return missing
    if not [p for p in (ROOT / "target" / "debug").glob("libnixflex_ffi.*") if p.suffix in (".so", ".dylib")]:
        return "not built (target/debug/libnixflex_ffi.so missing: cargo build -p nixflex-uniffi)"
    return None


def _swift_ready() -> Optional[str]:
    if shutil.which("swift") is None:
        return "no Swift toolchain on this machine"
    return None


@dataclass
class Runner:
    language: str
    command: list[str]
    ready: Callable[[], Optional[str]]
    build: Optional[list[str]] = None
    env: Callable[[], dict[str, str]] = field(default=lambda: {})


RUNNERS = [
    Runner(
        "rust",
        [str(ROOT / "target" / "debug" / "nixflex-conformance")],
        lambda: _exists(ROOT / "target" / "debug" / "nixflex-conformance"),
        build=["cargo", "build", "--quiet", "-p", "nixflex-conformance"],
    ),
    Runner("python-sync", [_python(), str(HERE / "python" / "runner.py"), "--mode", "sync"], _python_ready, env=_python_env),
    Runner("python-async", [_python(), str(HERE / "python" / "runner.py"), "--mode", "async"], _python_ready, env=_python_env),
    Runner("node", ["node", str(HERE / "node" / "runner.mjs")], _node_ready),
    Runner("kotlin", [str(HERE / "kotlin" / "run.sh")], _kotlin_ready),
    Runner("swift", [str(HERE / "swift" / "run.sh")], _swift_ready),
]


def load_scenarios() -> list[str]:
    names: list[str] = []
    for file in sorted(SCENARIOS.glob("*.json")):
        doc = json.loads(file.read_text())
        for scenario in doc["scenarios"]:
            name = scenario["name"]
            if name in names:
                raise SystemExit(f"{file.name}: duplicate scenario {name}")
            names.append(name)
    return names


def uncovered_operations() -> list[str]:
    spec = json.loads((ROOT / "spec" / "openapi.json").read_text())
    ops = {
        op["operationId"]
        for item in spec["paths"].values()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    }
    used: set[str] = set()
    for file in SCENARIOS.glob("*.json"):
        for scenario in json.loads(file.read_text())["scenarios"]:
            for step in scenario["steps"]:
                for key in ("op", "iterate"):
                    if key in step:
                        used.add(step[key])
                if "seed" in step:
                    used.add(step["seed"]["op"])
    return sorted(ops - used)


class Mock:
    """A mock server started here when NIXFLEX_MOCK_URL is not set."""

    def __init__(self) -> None:
        self.process: Optional[subprocess.Popen[str]] = None

    def start(self) -> str:
        subprocess.run(["cargo", "build", "--quiet", "-p", "nixflex-mock"], cwd=ROOT, check=True)
        self.process = subprocess.Popen(
            [str(ROOT / "target" / "debug" / "nixflex-mock"), "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        assert self.process.stdout is not None
        url = self.process.stdout.readline().strip()
        if not url.startswith("http://"):
            self.stop()
            raise SystemExit(f"the mock server did not start (first line: {url!r})")
        # Keep draining its output so that it never blocks on a full pipe.
        threading.Thread(target=self.process.stdout.read, daemon=True).start()
        return url

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()


@dataclass
class Outcome:
    ran: bool
    reason: str = ""
    results: dict[str, tuple[bool, str]] = field(default_factory=dict)
    traces: dict[str, list[object]] = field(default_factory=dict)
    seconds: float = 0.0
    stderr: str = ""


def run_runner(runner: Runner, mock_url: str, prefixes: list[str]) -> Outcome:
    env = {**os.environ, **runner.env(), "NIXFLEX_MOCK_URL": mock_url, "NIXFLEX_CONFORMANCE_SCENARIOS": str(SCENARIOS)}
    started = time.monotonic()
    try:
        done = subprocess.run(
            runner.command + prefixes, cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=TIMEOUT_S, check=False,
        )
        stdout, stderr = done.stdout, done.stderr
    except subprocess.TimeoutExpired as e:
        stdout = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        stderr = f"timed out after {TIMEOUT_S} s"
    outcome = Outcome(ran=True, seconds=time.monotonic() - started, stderr=stderr)
    for line in stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if "scenario" not in record:
            continue
        outcome.results[record["scenario"]] = (bool(record.get("ok")), str(record.get("detail", "")))
        outcome.traces[record["scenario"]] = record.get("trace") or []
    return outcome


def divergences(names: list[str], languages: list[str], outcomes: dict[str, Outcome]) -> dict[str, str]:
    """Scenarios whose steps did different things in different languages (outcome, error kind,
    status, code, attempts, items walked, webhook verdicts), even where every language passed:
    the first differing step of each, named by the languages on either side."""
    found: dict[str, str] = {}
    for name in names:
        seen = [(lang, outcomes[lang].traces[name]) for lang in languages
                if outcomes[lang].ran and name in outcomes[lang].traces]
        if not seen:
            continue
        first_lang, first = seen[0]
        for lang, trace in seen[1:]:
            if trace == first:
                continue
            at = next((i for i, (a, b) in enumerate(zip(first, trace)) if a != b), min(len(first), len(trace)))
            mine = json.dumps(first[at]) if at < len(first) else "no step"
            theirs = json.dumps(trace[at]) if at < len(trace) else "no step"
            found[name] = f"step {at + 1}: {first_lang} {mine}, {lang} {theirs}"
            break
    return found


def table(names: list[str], languages: list[str], outcomes: dict[str, Outcome]) -> tuple[str, int]:
    width = max([len(n) for n in names] + [8])
    cols = [max(len(lang), 3) for lang in languages]
    header = "scenario".ljust(width) + "  " + "  ".join(lang.center(w) for lang, w in zip(languages, cols))
    lines = [header, "-" * len(header)]
    problems = 0
    differ = divergences(names, languages, outcomes)
    for name in names:
        cells = []
        verdicts = set()
        for lang, w in zip(languages, cols):
            out = outcomes[lang]
            if not out.ran:
                mark = "-"
            elif name not in out.results:
                mark, problems = "?", problems + 1
                verdicts.add(False)
            elif out.results[name][0]:
                mark = "✓"
                verdicts.add(True)
            else:
                mark, problems = "✗", problems + 1
                verdicts.add(False)
            cells.append(mark.center(w))
        if name in differ and len(verdicts) == 1:
            problems += 1
        flag = "   ← languages differ" if len(verdicts) > 1 or name in differ else ""
        lines.append(name.ljust(width) + "  " + "  ".join(cells) + flag)
    return "\n".join(lines), problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="comma-separated languages to run (default: all)")
    parser.add_argument("--require", default="", help="comma-separated languages that must run")
    parser.add_argument("--scenario", action="append", default=[], help="run scenarios whose name starts with this (repeatable)")
    parser.add_argument("--sequential", action="store_true", help="run one runner at a time")
    parser.add_argument("--no-build", action="store_true", help="do not build the Rust runner")
    args = parser.parse_args()

    all_names = load_scenarios()
    names = [n for n in all_names if not args.scenario or any(n.startswith(p) for p in args.scenario)]
    if not names:
        raise SystemExit("no scenario matches")
    selected = [r for r in RUNNERS if not args.only or r.language in args.only.split(",")]
    required = {r for r in args.require.split(",") if r}
    unknown = required - {r.language for r in RUNNERS}
    if unknown:
        raise SystemExit(f"unknown languages in --require: {sorted(unknown)}")

    mock = Mock()
    mock_url = os.environ.get("NIXFLEX_MOCK_URL") or mock.start()
    try:
        outcomes: dict[str, Outcome] = {}
        runnable: list[Runner] = []
        for runner in selected:
            if runner.build and not args.no_build:
                built = subprocess.run(runner.build, cwd=ROOT, check=False)
                if built.returncode != 0:
                    outcomes[runner.language] = Outcome(ran=False, reason="its build failed")
                    continue
            reason = runner.ready()
            if reason:
                outcomes[runner.language] = Outcome(ran=False, reason=reason)
            else:
                runnable.append(runner)
        print(f"conformance: {len(names)} scenarios, mock {mock_url}, runners: "
              + ", ".join(r.language for r in runnable), flush=True)

        def go(runner: Runner) -> None:
            outcomes[runner.language] = run_runner(runner, mock_url, args.scenario)
            out = outcomes[runner.language]
            passed = sum(1 for ok, _ in out.results.values() if ok)
            print(f"  {runner.language}: {passed}/{len(names)} passed in {out.seconds:.0f} s", flush=True)

        if args.sequential:
            for runner in runnable:
                go(runner)
        else:
            threads = [threading.Thread(target=go, args=(r,)) for r in runnable]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    finally:
        mock.stop()

    languages = [r.language for r in selected]
    text, problems = table(names, languages, outcomes)
    print()
    print(text)
    print()
    for lang in languages:
        out = outcomes[lang]
        if not out.ran:
            print(f"{lang}: not run: {out.reason}")
            continue
        failures = [(n, out.results[n][1]) for n in names if n in out.results and not out.results[n][0]]
        missing = [n for n in names if n not in out.results]
        print(f"{lang}: {len(names) - len(failures) - len(missing)}/{len(names)} passed")
        for name, detail in failures:
            print(f"  ✗ {name}: {detail}")
        for name in missing:
            print(f"  ? {name}: no result from the runner")
        if (failures or missing) and out.stderr.strip():
            print("  stderr (last lines):")
            for line in out.stderr.strip().splitlines()[-15:]:
                print(f"    {line}")
    for name, detail in divergences(names, languages, outcomes).items():
        print(f"≠ {name}: the languages did different things at {detail}")
    failed = problems > 0
    not_run = sorted(lang for lang in required if not outcomes.get(lang, Outcome(ran=False)).ran)
    if not_run:
        print(f"required runners did not run: {', '.join(not_run)}")
        failed = True
    uncovered = uncovered_operations()
    if uncovered:
        print(f"operations of spec/ without a scenario: {', '.join(uncovered)}")
        failed = True
    ran = [lang for lang in languages if outcomes[lang].ran]
    print(f"conformance {'FAILED' if failed else 'passed'}: {len(names)} scenarios × {len(ran)} languages ({', '.join(ran)})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
