#!/usr/bin/env python3
"""The Python runner of the conformance scenarios (``tests/conformance/README.md``).

    NIXFLEX_MOCK_URL=http://127.0.0.1:PORT python tests/conformance/python/runner.py --mode sync|async [prefix…]

Every step goes through the package's public API as a user writes it: ``nixflex.Nixflex`` (or
``nixflex.AsyncNixflex``), the resource and method named by the operation id
(``phone_numbers.callers.set`` → ``client.phone_numbers.callers.set``), path parameters
positionally in the spec's order, the query and body fields as keyword arguments (fields the
method does not name go in ``extra_body``), per-call options as ``timeout=``, ``max_retries=``,
``idempotency_key=``, ``extra_headers=``, ``with_meta`` for the attempts and the key,
``for``/``async for`` over ``iter(...)``, and ``nixflex.verify_webhook_signature`` /
``construct_event`` / ``sign``. The mock's admin API is used directly (test plumbing).

One JSON line per scenario on stdout. Standard library only, besides ``nixflex``.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import email.utils
import inspect
import json
import keyword
import os
import re
import sys
import time
import traceback
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Optional

import nixflex

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
DEFAULT_TIMEOUT_MS = 10_000
MISSING = object()


class ScenarioError(Exception):
    """A failed expectation, or a scenario the API cannot express."""


# ---------------------------------------------------------------------------------------------
# spec/: path parameter order and which operations paginate


def load_spec() -> dict[str, dict[str, Any]]:
    doc = json.loads((ROOT / "spec" / "openapi.json").read_text())
    ops: dict[str, dict[str, Any]] = {}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            ops[op["operationId"]] = {
                "path_params": re.findall(r"{([^}]+)}", path),
                "paginated": bool(op.get("x-paginated")),
            }
    return ops


SPEC = load_spec()


def py_name(name: str) -> str:
    ident = re.sub(r"[^0-9A-Za-z]+", "_", name).strip("_").lower()
    return ident + "_" if keyword.iskeyword(ident) or ident == "import" else ident


def resolve(client: Any, op: str) -> Any:
    target = client
    for part in op.split("."):
        target = getattr(target, py_name(part))
    return target


# ---------------------------------------------------------------------------------------------
# the mock's admin API


class Mock:
    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")

    def _send(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            request.add_header("content-type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as e:
            raise ScenarioError(f"mock admin {method} {path}: {e.code} {e.read()[:300]!r}") from None

    def create_tenant(self) -> dict[str, str]:
        return self._send("POST", "/__mock/tenants")

    def configure(self, key_id: str, patch: Any) -> None:
        self._send("PUT", f"/__mock/tenants/{key_id}/config", patch)

    def arm(self, key_id: str, operation: Optional[str], script: dict[str, Any]) -> None:
        body = {"key_id": key_id, **{k: v for k, v in script.items() if k != "operation"}}
        if operation:
            body["operation"] = operation
        self._send("POST", "/__mock/faults", body)

    def journal(self, key_id: str) -> list[dict[str, Any]]:
        query = urllib.parse.urlencode({"key_id": key_id})
        return self._send("GET", f"/__mock/journal?{query}").get("requests", [])

    def counts(self, key_id: str) -> Any:
        return self._send("GET", f"/__mock/tenants/{key_id}/counts")


# ---------------------------------------------------------------------------------------------
# templates and the matcher


TOKEN = re.compile(r"\$\{([^}]*)\}")


def expand(value: Any, scope: dict[str, Any]) -> Any:
    if isinstance(value, str):
        whole = TOKEN.fullmatch(value)
        if whole:
            return token(whole.group(1), scope)

        def text(m: re.Match[str]) -> str:
            v = token(m.group(1), scope)
            return v if isinstance(v, str) else json.dumps(v)

        return TOKEN.sub(text, value)
    if isinstance(value, list):
        return [expand(v, scope) for v in value]
    if isinstance(value, dict):
        return {k: expand(v, scope) for k, v in value.items()}
    return value


def token(name: str, scope: dict[str, Any]) -> Any:
    if name.startswith("repeat:"):
        count, text = name[len("repeat:"):].split(":", 1)
        return text * int(count)
    if name.startswith("http_date:"):
        return email.utils.formatdate(time.time() + int(name[len("http_date:"):]), usegmt=True)
    if name.startswith("unix:"):
        return int(time.time()) + int(name[len("unix:"):])
    if name not in scope:
        raise ScenarioError(f"${{{name}}} is not a saved variable")
    return scope[name]


def short(value: Any) -> str:
    if value is MISSING:
        return "(absent)"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 160 else text[:160] + "…"


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


TYPES = {"string": str, "boolean": bool, "object": dict, "array": list}


def operator(op: str, arg: Any, actual: Any, at: str) -> None:
    present = actual is not MISSING and actual is not None

    def fail(what: str) -> None:
        raise ScenarioError(f"{at}: expected {what}, got {short(actual)}")

    if op == "$present":
        if arg != present:
            fail("a value" if arg else "absent or null")
    elif op == "$len":
        if not isinstance(actual, (list, str, dict)):
            fail(f"something of length {arg}")
        elif len(actual) != arg:
            raise ScenarioError(f"{at}: expected length {arg}, got {len(actual)}")
    elif op == "$regex":
        if not isinstance(actual, str) or not re.search(arg, actual):
            fail(f"a string matching /{arg}/")
    elif op in ("$gte", "$lte"):
        ok = is_number(actual) and (actual >= arg if op == "$gte" else actual <= arg)
        if not ok:
            fail(f"{'>=' if op == '$gte' else '<='} {arg}")
    elif op == "$ne":
        try:
            match(arg, actual, at)
        except ScenarioError:
            return
        fail(f"anything but {short(arg)}")
    elif op == "$type":
        if arg == "null":
            ok = not present
        elif arg == "integer":
            ok = isinstance(actual, int) and not isinstance(actual, bool)
        elif arg == "number":
            ok = is_number(actual)
        else:
            ok = isinstance(actual, TYPES.get(arg, ())) and (arg == "boolean" or not isinstance(actual, bool))
        if not ok:
            fail(f"a {arg}")
    elif op == "$contains":
        if isinstance(actual, list):
            for item in actual:
                try:
                    match(arg, item, at)
                    return
                except ScenarioError:
                    pass
            fail(f"an array with an element matching {short(arg)}")
        elif not (isinstance(actual, str) and isinstance(arg, str) and arg in actual):
            fail(f"something containing {short(arg)}")
    elif op == "$at":
        if not isinstance(actual, list):
            fail("an array")
        for key, want in arg.items():
            index = int(key) + (len(actual) if int(key) < 0 else 0)
            if not 0 <= index < len(actual):
                raise ScenarioError(f"{at}: no element at {key} (length {len(actual)})")
            match(want, actual[index], f"{at}[{key}]")
    elif op == "$any":
        for option in arg:
            try:
                match(option, actual, at)
                return
            except ScenarioError:
                pass
        fail(f"any of {short(arg)}")
    else:
        raise ScenarioError(f"{at}: unknown operator {op}")


def match(expected: Any, actual: Any, at: str) -> None:
    """Raises ScenarioError unless ``actual`` (MISSING: absent) matches ``expected``."""
    if expected is None:
        if actual is not MISSING and actual is not None:
            raise ScenarioError(f"{at}: expected null or absent, got {short(actual)}")
    elif isinstance(expected, dict) and expected and all(k.startswith("$") for k in expected):
        for op, arg in expected.items():
            operator(op, arg, actual, at)
    elif isinstance(expected, dict):
        if not isinstance(actual, dict):
            raise ScenarioError(f"{at}: expected an object, got {short(actual)}")
        for k, v in expected.items():
            match(v, actual.get(k, MISSING), f"{at}.{k}")
    elif isinstance(expected, list):
        if not isinstance(actual, list):
            raise ScenarioError(f"{at}: expected an array, got {short(actual)}")
        if len(expected) != len(actual):
            raise ScenarioError(f"{at}: expected {len(expected)} elements, got {len(actual)}: {short(actual)}")
        for i, (w, g) in enumerate(zip(expected, actual)):
            match(w, g, f"{at}[{i}]")
    elif is_number(expected):
        if not is_number(actual) or float(expected) != float(actual):
            raise ScenarioError(f"{at}: expected {expected}, got {short(actual)}")
    elif expected != actual or type(expected) is not type(actual):
        raise ScenarioError(f"{at}: expected {short(expected)}, got {short(actual)}")


def lookup(value: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return MISSING
    return value


# ---------------------------------------------------------------------------------------------
# outcomes


def error_json(e: nixflex.NixflexError) -> dict[str, Any]:
    return {
        "kind": e.kind,
        "status": e.status or None,
        "code": e.code,
        "request_id": e.request_id,
        "idempotency_key": e.idempotency_key,
        "attempts": e.attempts,
        "retry_after_s": e.retry_after_seconds,
        "message": e.message,
        "details": e.details,
    }


def success(result: Any, meta: Optional[nixflex.ResponseMeta]) -> dict[str, Any]:
    if isinstance(result, nixflex.Page):
        result = {"items": list(result), "count": result.count, "limit": result.limit, "offset": result.offset}
    if meta is None:
        return {"ok": True, "result": result, "meta": {}}
    return {
        "ok": True,
        "result": result,
        "meta": {"attempts": meta.attempts, "idempotency_key": meta.idempotency_key, "request_id": meta.request_id, "status": meta.status},
    }


def observe(kind: str, outcome: dict[str, Any]) -> dict[str, Any]:
    """What a step did, in the terms every runner shares: run.py compares these across languages."""
    if kind == "webhook":
        seen: dict[str, Any] = {"ok": outcome["ok"], "verify": outcome["verify"]}
        if outcome.get("error"):
            seen["kind"] = outcome["error"]["kind"]
        return seen
    if not outcome["ok"]:
        e = outcome["error"]
        # "unknown_error" is the official SDKs' stand-in for a code the server did not send;
        # Rust, Kotlin and Swift say null.
        code = None if e["code"] == "unknown_error" else e["code"]
        return {"ok": False, "kind": e["kind"], "status": e["status"], "code": code, "attempts": e["attempts"]}
    seen: dict[str, Any] = {"ok": True}
    if kind == "iterate":
        seen["items"] = len(outcome["result"])
    return seen


def needs_meta(step: dict[str, Any]) -> bool:
    """Whether the step needs the result's metadata (attempts, key): then ``with_meta``."""
    expect = step.get("expect") or {}
    saves = any(str(p).startswith("meta.") for p in (step.get("save") or {}).values())
    asks = "attempts" in expect or "idempotency_key" in expect or (expect.get("journal") or {}).get("same_idempotency_key") is True
    return saves or (asks and "error" not in expect)


def failure(e: nixflex.NixflexError) -> dict[str, Any]:
    return {"ok": False, "error": error_json(e)}


def sdk_key(outcome: dict[str, Any]) -> Optional[str]:
    return (outcome.get("meta") or {}).get("idempotency_key") or (outcome.get("error") or {}).get("idempotency_key")


# ---------------------------------------------------------------------------------------------
# one scenario


class Run:
    def __init__(self, mock: Mock, mode: str, scenario: dict[str, Any]) -> None:
        self.mock = mock
        self.mode = mode
        self.scenario = scenario
        self.tenant = mock.create_tenant()
        self.vars: dict[str, Any] = {}
        self.client_settings: dict[str, Any] = {}
        self.client: Any = None
        self.trace: list[dict[str, Any]] = []

    def scope(self, index: Optional[int] = None) -> dict[str, Any]:
        scope = dict(self.vars)
        scope["tenant.key_id"] = self.tenant["key_id"]
        scope["tenant.key_secret"] = self.tenant["key_secret"]
        scope["tenant.api_key"] = self.tenant["api_key"]
        if index is not None:
            scope["i"] = index
        return scope

    def build_client(self, settings: dict[str, Any]) -> Any:
        cls = nixflex.AsyncNixflex if self.mode == "async" else nixflex.Nixflex
        return cls(
            api_key=settings.get("api_key", self.tenant["api_key"]),
            base_url=self.mock.url,
            timeout=settings.get("timeout_ms", DEFAULT_TIMEOUT_MS) / 1000,
            max_retries=settings.get("max_retries"),
        )

    def get_client(self, step: dict[str, Any]) -> Any:
        if "client" in step:
            return self.build_client(step["client"])
        if self.client is None:
            self.client = self.build_client(self.client_settings)
        return self.client

    @staticmethod
    def call_options(options: Optional[dict[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in (options or {}).items():
            if k == "timeout_ms":
                out["timeout"] = v / 1000
            elif k == "max_retries":
                out["max_retries"] = v
            elif k == "idempotency_key":
                out["idempotency_key"] = v
            elif k == "headers":
                out["extra_headers"] = v
            else:
                raise ScenarioError(f"unknown option {k!r}")
        return out

    @staticmethod
    def arguments(method: Any, op: str, step: dict[str, Any], options: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        spec = SPEC[op]
        path = dict(step.get("path") or {})
        args = []
        for name in spec["path_params"]:
            if name not in path:
                raise ScenarioError(f"path parameter {name} is missing")
            args.append(path.pop(name))
        if path:
            raise ScenarioError(f"{op} has no path parameter {sorted(path)}")
        params = inspect.signature(method).parameters
        kwargs: dict[str, Any] = dict(options)
        for name, value in (step.get("query") or {}).items():
            if py_name(name) not in params:
                raise ScenarioError(f"{op} has no query parameter {name!r}")
            kwargs[py_name(name)] = value
        extra: dict[str, Any] = {}
        body = step.get("body")
        if body is not None:
            if not isinstance(body, dict):
                raise ScenarioError("bodies are objects")
            for name, value in body.items():
                ident = py_name(name) if keyword.iskeyword(name) else name
                if ident in params and ident not in ("extra_body", "timeout", "max_retries", "idempotency_key", "extra_headers"):
                    kwargs[ident] = value
                else:
                    extra[name] = value
        if extra:
            if "extra_body" not in params:
                raise ScenarioError(f"{op} takes no body")
            kwargs["extra_body"] = extra
        return args, kwargs

    async def call(self, step: dict[str, Any], op: str) -> dict[str, Any]:
        try:
            client = self.get_client(step)
        except nixflex.NixflexError as e:
            return failure(e)
        method = resolve(client, op)
        args, kwargs = self.arguments(method, op, step, self.call_options(step.get("options")))
        meta = None
        try:
            # A plain call unless the step needs what only the metadata says (as a user would).
            call = nixflex.with_meta(method) if needs_meta(step) else method
            if self.mode == "async":
                result = await call(*args, **kwargs)
            else:
                result = call(*args, **kwargs)
            if needs_meta(step):
                result, meta = result
        except nixflex.NixflexError as e:
            return failure(e)
        return success(result, meta)

    async def iterate(self, step: dict[str, Any], op: str) -> dict[str, Any]:
        try:
            client = self.get_client(step)
        except nixflex.NixflexError as e:
            return failure(e)
        resource = resolve(client, op.rsplit(".", 1)[0])
        method = resource.iter
        options = self.call_options(step.get("options"))
        options.pop("idempotency_key", None)
        args, kwargs = self.arguments(method, op, {"path": step.get("path"), "query": step.get("query")}, options)
        if "page_size" in step:
            kwargs["page_size"] = step["page_size"]
        if "max_items" in step:
            kwargs["max_items"] = step["max_items"]
        items: list[Any] = []
        try:
            pager = method(*args, **kwargs)
            if self.mode == "async":
                async for item in pager:
                    items.append(item)
            else:
                for item in pager:
                    items.append(item)
        except nixflex.NixflexError as e:
            return failure(e)
        return {"ok": True, "result": items}

    @staticmethod
    def webhook(spec: dict[str, Any]) -> dict[str, Any]:
        body = spec["body"]
        if "sign" in spec:
            sign = spec["sign"]
            header = nixflex.sign(sign.get("body", body), sign["secret"], sign["timestamp"])
        else:
            header = spec.get("header")
        secrets = spec["secrets"]
        tolerance = spec.get("tolerance_s", 300)
        now = spec.get("now")
        verify = [nixflex.verify_webhook_signature(body, header or "", s, tolerance, now) for s in secrets]
        try:
            event = nixflex.construct_event(body, header, secrets, tolerance, now)
            return {"header": header, "verify": verify, "ok": True, "event": event, "error": None}
        except nixflex.NixflexError as e:
            return {"header": header, "verify": verify, "ok": False, "event": None, "error": error_json(e)}

    def check_journal(self, want: dict[str, Any], op: Optional[str], since: int, outcome: dict[str, Any]) -> None:
        op = want.get("operation") or op
        entries = [
            e for e in self.mock.journal(self.tenant["key_id"])
            if e.get("seq", 0) > since and (op is None or e.get("operation") == op)
        ]
        keys = [(e.get("headers") or {}).get("idempotency-key") for e in entries]
        for k, v in want.items():
            at = f"journal.{k}"
            if k == "operation":
                continue
            if k == "count":
                match(v, len(entries), at)
            elif k == "same_idempotency_key":
                if v is not True:
                    continue
                if not keys or not keys[0]:
                    raise ScenarioError(f"{at}: the first request carried no Idempotency-Key ({len(entries)} requests)")
                others = [x for x in keys if x != keys[0]]
                if others:
                    raise ScenarioError(f"{at}: keys differ between attempts: {keys[0]!r} then {others[0]!r}")
                reported = sdk_key(outcome)
                if reported != keys[0]:
                    raise ScenarioError(f"{at}: the SDK reports {reported!r}, the server saw {keys[0]!r}")
            elif k == "idempotency_key":
                if v is False:
                    if any(keys):
                        raise ScenarioError(f"{at}: expected no key, a request carried {next(x for x in keys if x)!r}")
                elif isinstance(v, str):
                    if not entries or any(x != v for x in keys):
                        raise ScenarioError(f"{at}: expected {v!r} on every request, got {keys}")
                else:
                    raise ScenarioError(f"{at}: expected false or a string")
            elif k == "gaps_ms":
                # Between the arrivals of consecutive requests: how long the SDK waited.
                at_ms = [e["at_ms"] for e in entries]
                match(v, [b - a for a, b in zip(at_ms, at_ms[1:])], at)
            elif k in ("statuses", "replayed"):
                match(v, [e.get(k[:-2] if k == "statuses" else k) for e in entries], at)
            elif k in ("path", "decoded_path_params", "query", "headers", "body"):
                if not entries:
                    raise ScenarioError(f"{at}: no request reached the mock")
                for i, e in enumerate(entries):
                    match(v, e.get(k, MISSING), f"{at}[{i}]")
            else:
                raise ScenarioError(f"unknown journal expectation {k!r}")

    def check(self, expect: dict[str, Any], outcome: dict[str, Any], op: Optional[str], since: Optional[int]) -> None:
        ok = outcome.get("ok")
        if "verify" not in outcome:
            if "error" not in expect and not ok:
                raise ScenarioError(f"unexpected error: {short(outcome['error'])}")
            if "error" in expect and ok:
                raise ScenarioError(f"expected an error, got the result {short(outcome['result'])}")
        elif "error" in expect and ok:
            raise ScenarioError(f"expected the strict check to fail, got the event {short(outcome['event'])}")
        elif "event" in expect and not ok:
            raise ScenarioError(f"expected an event, the strict check failed: {short(outcome['error'])}")
        for k, v in expect.items():
            if k in ("result", "error", "header", "verify", "event"):
                match(v, outcome.get(k, MISSING), k)
            elif k == "attempts":
                match(v, (outcome["meta"] if ok else outcome["error"]).get("attempts", MISSING), k)
            elif k == "idempotency_key":
                match(v, sdk_key(outcome), k)
            elif k == "distinct":
                values = {json.dumps(lookup(item, v["field"]), sort_keys=True, default=str) for item in outcome["result"]}
                match(v["count"], len(values), "distinct.count")
            elif k == "journal":
                self.check_journal(v, op, since or 0, outcome)
            elif k == "counts":
                match(v, self.mock.counts(self.tenant["key_id"]), "counts")
            else:
                raise ScenarioError(f"unknown expectation {k!r}")

    def save(self, save: Optional[dict[str, str]], outcome: dict[str, Any]) -> None:
        for var, path in (save or {}).items():
            value = lookup(outcome, path)
            if value is MISSING:
                raise ScenarioError(f"cannot save {var}: nothing at {path}")
            self.vars[var] = value

    async def step(self, raw: dict[str, Any]) -> None:
        kinds = [k for k in ("op", "iterate", "seed", "webhook", "config", "arm") if k in raw]
        if not kinds:
            raise ScenarioError("a step needs one of op, iterate, seed, webhook, config, arm")
        kind = kinds[0]
        if kind == "seed":
            spec = raw["seed"]
            last: dict[str, Any] = {}
            for i in range(1, spec["count"] + 1):
                step = expand(spec, self.scope(i))
                last = await self.call(step, spec["op"])
                if not last["ok"]:
                    raise ScenarioError(f"seed {spec['op']} #{i} failed: {short(last['error'])}")
            self.save(raw.get("save"), last)
            return
        step = expand(raw, self.scope())
        if kind == "config":
            self.mock.configure(self.tenant["key_id"], step["config"])
            return
        if kind == "arm":
            self.mock.arm(self.tenant["key_id"], step["arm"].get("operation"), step["arm"])
            return
        op = step[kind] if kind in ("op", "iterate") else None
        if "faults" in step:
            self.mock.arm(self.tenant["key_id"], step.get("fault_operation") or op, {"faults": step["faults"]})
        expect = step.get("expect") or {}
        since = None
        if "journal" in expect:
            since = max((e.get("seq", 0) for e in self.mock.journal(self.tenant["key_id"])), default=0)
        if kind == "op":
            outcome = await self.call(step, op)
        elif kind == "iterate":
            outcome = await self.iterate(step, op)
        else:
            outcome = self.webhook(step["webhook"])
        self.trace.append(observe(kind, outcome))
        self.check(expect, outcome, op, since)
        self.save(step.get("save"), outcome)

    async def run(self) -> None:
        if "config" in self.scenario:
            self.mock.configure(self.tenant["key_id"], self.scenario["config"])
        self.client_settings = expand(self.scenario.get("client") or {}, self.scope())
        for i, step in enumerate(self.scenario["steps"], 1):
            try:
                await self.step(step)
            except ScenarioError as e:
                raise ScenarioError(f"step {i} ({describe(step)}): {e}") from None
            except Exception as e:  # a crash of the SDK or of the runner: report it as the step's failure
                raise ScenarioError(f"step {i} ({describe(step)}): {type(e).__name__}: {e}") from None


def describe(step: dict[str, Any]) -> str:
    for k in ("op", "iterate", "config", "arm"):
        if k in step and isinstance(step[k], str):
            return f"{k} {step[k]}"
    if "seed" in step:
        return f"seed {step['seed'].get('op')}"
    return next((k for k in ("webhook", "config", "arm") if k in step), "?")


def run_one(mock: Mock, mode: str, scenario: dict[str, Any]) -> tuple[bool, str, list[dict[str, Any]]]:
    trace: list[dict[str, Any]] = []
    try:
        run = Run(mock, mode, scenario)
        trace = run.trace
        asyncio.run(run.run())
        return True, "", trace
    except ScenarioError as e:
        return False, str(e), trace
    except Exception:
        return False, traceback.format_exc(limit=3).strip().replace("\n", " | "), trace


def load(directory: Path) -> list[dict[str, Any]]:
    scenarios: list[dict[str, Any]] = []
    for file in sorted(directory.glob("*.json")):
        scenarios.extend(json.loads(file.read_text())["scenarios"])
    return scenarios


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=("sync", "async"), default="sync")
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("prefixes", nargs="*")
    args = parser.parse_args()
    url = os.environ.get("NIXFLEX_MOCK_URL")
    if not url:
        print("set NIXFLEX_MOCK_URL to the mock server's URL", file=sys.stderr)
        return 2
    directory = Path(os.environ.get("NIXFLEX_CONFORMANCE_SCENARIOS") or HERE.parent / "scenarios")
    scenarios = [s for s in load(directory) if not args.prefixes or any(s["name"].startswith(p) for p in args.prefixes)]
    mock = Mock(url)
    language = f"python-{args.mode}"
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(run_one, mock, args.mode, s): s["name"] for s in scenarios}
        for future in concurrent.futures.as_completed(futures):
            ok, detail, trace = future.result()
            failed += 0 if ok else 1
            line = {"scenario": futures[future], "language": language, "ok": ok, "detail": detail, "trace": trace}
            print(json.dumps(line, ensure_ascii=False), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
