"""Benchmark driver for the Python clients, on the workloads of ``benchmarks/README.md``.

Clients: ``ours-sync`` / ``ours-async`` (our ``nixflex``, run from ``.venv-ours``),
``official-sync`` / ``official-async`` (the official SDK 0.2, from ``.venv-official``: it has the
same import name) and ``httpx-sync`` / ``httpx-async`` (raw httpx doing the same requests as our
SDK). Every command prints one JSON object on stdout::

    python bench.py rates  --client C --url U --key K --write-key W [--duration S] [--warmup S] [--workloads a,b]
    python bench.py walk   --client C --url U --key K --mode iter|seq [--expect N]
    python bench.py memory --client C --url U --key K [--calls N] [--checkpoint N] [--concurrency C]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Tuple

IN_FLIGHT = 32
LIST_LEN = 25
PAGE = 100
SYSTEM_PROMPT = (
    "You are the front desk of a dental practice. Greet the caller, find out what they need, "
    "book, move or cancel appointments, and answer questions about opening hours and prices. Be brief and friendly."
)
ALL = "usage_seq,list25_seq,list25_c32,create_seq"


def fail(message: str) -> None:
    raise SystemExit(f"bench.py: {message}")


def items_of(body: Any, key: str) -> list:
    """A list body in either shape (the official SDK hands back the raw JSON)."""
    if isinstance(body, list):
        return body
    if isinstance(body, dict) and isinstance(body.get(key), list):
        return body[key]
    fail(f"not a list body: {str(body)[:200]}")
    return []


def check_list(body: Any) -> None:
    n = len(items_of(body, "agents"))
    if n != LIST_LEN:
        fail(f"agents.list returned {n} agents")


def check_agent(body: Any) -> None:
    if not isinstance(body, dict) or not isinstance(body.get("agent_id"), str):
        fail(f"agents.create returned {str(body)[:200]}")


# --- the clients: one callable per workload ------------------------------------------------


class Sync:
    """usage / list / create as blocking callables, plus a page fetch for the walks."""

    def __init__(
        self,
        usage: Callable[[], Any],
        lst: Callable[[], Any],
        create: Callable[[], Any],
        page: Callable[[int, int], list],
        close: Callable[[], None],
    ) -> None:
        self.usage, self.list, self.create, self.page, self.close = usage, lst, create, page, close


class Async:
    def __init__(
        self,
        usage: Callable[[], Awaitable[Any]],
        lst: Callable[[], Awaitable[Any]],
        create: Callable[[], Awaitable[Any]],
        page: Callable[[int, int], Awaitable[list]],
        close: Callable[[], Awaitable[None]],
    ) -> None:
        self.usage, self.list, self.create, self.page, self.close = usage, lst, create, page, close


def headers(key: str) -> Dict[str, str]:
    return {"Authorization": f"Bearer {key}", "Accept": "application/json", "User-Agent": "nixflex-bench-httpx/0"}


def create_body() -> bytes:
    return json.dumps({"name": "Bench agent", "system_prompt": SYSTEM_PROMPT}).encode()


def make_sync(client: str, url: str, key: str, write_key: str) -> Sync:
    if client == "ours-sync":
        from nixflex import Nixflex

        c, w = Nixflex(api_key=key, base_url=url), Nixflex(api_key=write_key, base_url=url)
        return Sync(
            c.usage.get,
            c.agents.list,
            lambda: w.agents.create(name="Bench agent", system_prompt=SYSTEM_PROMPT),
            lambda limit, offset: c.calls.list(limit=limit, offset=offset),
            lambda: None,
        )
    if client == "official-sync":
        from nixflex import Nixflex

        c, w = Nixflex(key, base_url=url), Nixflex(write_key, base_url=url)
        return Sync(
            c.usage.get,
            c.agents.list,
            lambda: w.agents.create(name="Bench agent", system_prompt=SYSTEM_PROMPT),
            lambda limit, offset: items_of(c.calls.list(limit=limit, offset=offset), "calls"),
            lambda: (c.close(), w.close()) and None,
        )
    if client == "httpx-sync":
        import httpx

        h = httpx.Client(base_url=url, headers=headers(key))
        hw = httpx.Client(base_url=url, headers=headers(write_key))

        def get(path: str, params: Optional[Dict[str, int]] = None) -> Any:
            r = h.get(path, params=params)
            if r.status_code != 200:
                fail(f"GET {path}: {r.status_code}")
            return r.json()

        def create() -> Any:
            r = hw.post(
                "/v1/agents",
                content=create_body(),
                headers={"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())},
            )
            if r.status_code not in (200, 201):
                fail(f"POST /v1/agents: {r.status_code}")
            return r.json()

        return Sync(
            lambda: get("/v1/usage"),
            lambda: get("/v1/agents"),
            create,
            lambda limit, offset: items_of(get("/v1/calls", {"limit": limit, "offset": offset}), "calls"),
            lambda: (h.close(), hw.close()) and None,
        )
    fail(f"unknown sync client {client}")
    raise AssertionError


def make_async(client: str, url: str, key: str, write_key: str) -> Async:
    if client == "ours-async":
        from nixflex import AsyncNixflex

        c, w = AsyncNixflex(api_key=key, base_url=url), AsyncNixflex(api_key=write_key, base_url=url)

        async def close() -> None:
            await c.close()
            await w.close()

        return Async(
            c.usage.get,
            c.agents.list,
            lambda: w.agents.create(name="Bench agent", system_prompt=SYSTEM_PROMPT),
            lambda limit, offset: c.calls.list(limit=limit, offset=offset),
            close,
        )
    if client == "official-async":
        from nixflex import AsyncNixflex

        c, w = AsyncNixflex(key, base_url=url), AsyncNixflex(write_key, base_url=url)

        async def page(limit: int, offset: int) -> list:
            return items_of(await c.calls.list(limit=limit, offset=offset), "calls")

        async def close() -> None:
            await c.close()
            await w.close()

        return Async(
            c.usage.get,
            c.agents.list,
            lambda: w.agents.create(name="Bench agent", system_prompt=SYSTEM_PROMPT),
            page,
            close,
        )
    if client == "httpx-async":
        import httpx

        h = httpx.AsyncClient(base_url=url, headers=headers(key))
        hw = httpx.AsyncClient(base_url=url, headers=headers(write_key))

        async def get(path: str, params: Optional[Dict[str, int]] = None) -> Any:
            r = await h.get(path, params=params)
            if r.status_code != 200:
                fail(f"GET {path}: {r.status_code}")
            return r.json()

        async def create() -> Any:
            r = await hw.post(
                "/v1/agents",
                content=create_body(),
                headers={"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())},
            )
            if r.status_code not in (200, 201):
                fail(f"POST /v1/agents: {r.status_code}")
            return r.json()

        async def page(limit: int, offset: int) -> list:
            return items_of(await get("/v1/calls", {"limit": limit, "offset": offset}), "calls")

        async def close() -> None:
            await h.aclose()
            await hw.aclose()

        return Async(lambda: get("/v1/usage"), lambda: get("/v1/agents"), create, page, close)
    fail(f"unknown async client {client}")
    raise AssertionError


def is_async(client: str) -> bool:
    return client.endswith("-async")


# --- rates ---------------------------------------------------------------------------------


def sync_step(c: Sync, workload: str) -> Callable[[], None]:
    if workload == "usage_seq":
        return lambda: None if isinstance(c.usage(), dict) else fail("usage is not an object")
    if workload == "list25_seq":
        return lambda: check_list(c.list())
    if workload == "create_seq":
        return lambda: check_agent(c.create())
    fail(f"{workload} needs an async client")
    raise AssertionError


def timed_sync(step: Callable[[], None], seconds: float) -> Tuple[int, float]:
    start = time.perf_counter()
    deadline = start + seconds
    n = 0
    while time.perf_counter() < deadline:
        step()
        n += 1
    return n, time.perf_counter() - start


def async_step(c: Async, workload: str) -> Callable[[], Awaitable[None]]:
    async def usage() -> None:
        if not isinstance(await c.usage(), dict):
            fail("usage is not an object")

    async def lst() -> None:
        check_list(await c.list())

    async def create() -> None:
        check_agent(await c.create())

    return {"usage_seq": usage, "list25_seq": lst, "list25_c32": lst, "create_seq": create}[workload]


async def timed_async(step: Callable[[], Awaitable[None]], concurrency: int, seconds: float) -> Tuple[int, float]:
    start = time.perf_counter()
    deadline = start + seconds

    async def worker() -> int:
        n = 0
        while time.perf_counter() < deadline:
            await step()
            n += 1
        return n

    if concurrency == 1:
        n = await worker()
    else:
        n = sum(await asyncio.gather(*(worker() for _ in range(concurrency))))
    return n, time.perf_counter() - start


def rates(a: argparse.Namespace) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    workloads = [w for w in a.workloads.split(",") if w]
    if is_async(a.client):

        async def main() -> None:
            c = make_async(a.client, a.url, a.key, a.write_key)
            for w in workloads:
                step = async_step(c, w)
                concurrency = IN_FLIGHT if w.endswith("_c32") else 1
                await timed_async(step, concurrency, a.warmup)
                n, s = await timed_async(step, concurrency, a.duration)
                out[w] = {"ops": n, "seconds": s, "rate": n / s}
            await c.close()

        asyncio.run(main())
    else:
        c = make_sync(a.client, a.url, a.key, a.write_key)
        for w in workloads:
            step = sync_step(c, w)
            timed_sync(step, a.warmup)
            n, s = timed_sync(step, a.duration)
            out[w] = {"ops": n, "seconds": s, "rate": n / s}
        c.close()
    return {"client": a.client, "workloads": out}


# --- the pagination walk -------------------------------------------------------------------


def walk(a: argparse.Namespace) -> Dict[str, Any]:
    items, pages = 0, None
    if a.mode == "iter" and not a.client.startswith("ours"):
        fail(f"{a.client} has no iterator")
    if is_async(a.client):

        async def main() -> Tuple[int, Optional[int], float]:
            c = make_async(a.client, a.url, a.key, a.key)
            if a.mode == "iter":
                from nixflex import AsyncNixflex

                ours = AsyncNixflex(api_key=a.key, base_url=a.url)
            start = time.perf_counter()
            n, p = 0, None
            if a.mode == "iter":
                async for _call in ours.calls.iter():
                    n += 1
            else:
                n, p, offset = 0, 0, 0
                while True:
                    page = await c.page(PAGE, offset)
                    p += 1
                    n += len(page)
                    offset += len(page)
                    if len(page) < PAGE:
                        break
            seconds = time.perf_counter() - start
            await c.close()
            return n, p, seconds

        items, pages, seconds = asyncio.run(main())
    else:
        c = make_sync(a.client, a.url, a.key, a.key)
        if a.mode == "iter":
            from nixflex import Nixflex

            ours_sync = Nixflex(api_key=a.key, base_url=a.url)
        start = time.perf_counter()
        if a.mode == "iter":
            for _call in ours_sync.calls.iter():
                items += 1
        else:
            # What the official SDK leaves its users to write: one page after the other.
            pages, offset = 0, 0
            while True:
                page = c.page(PAGE, offset)
                pages += 1
                items += len(page)
                offset += len(page)
                if len(page) < PAGE:
                    break
        seconds = time.perf_counter() - start
        c.close()
    if a.expect and items != a.expect:
        fail(f"the walk saw {items} items, expected {a.expect}")
    return {"client": a.client, "mode": a.mode, "items": items, "pages": pages, "seconds": seconds}


# --- memory --------------------------------------------------------------------------------


def rss_mb() -> Tuple[float, float]:
    fields: Dict[str, float] = {}
    with open("/proc/self/status") as f:
        for line in f:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(rest.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


def memory(a: argparse.Namespace) -> Dict[str, Any]:
    points: Dict[str, float] = {}
    start = time.perf_counter()
    targets = [min(a.checkpoint, a.calls), a.calls]
    if is_async(a.client):

        async def main() -> None:
            c = make_async(a.client, a.url, a.key, a.key)
            done = 0
            for target in targets:
                left = [target - done]

                async def worker(left: list = left) -> None:
                    while left[0] > 0:
                        left[0] -= 1
                        if not isinstance(await c.usage(), dict):
                            fail("usage is not an object")

                await asyncio.gather(*(worker() for _ in range(a.concurrency)))
                done = target
                points[str(done)] = rss_mb()[0]
            await c.close()

        asyncio.run(main())
    else:
        c = make_sync(a.client, a.url, a.key, a.key)
        done = 0
        for target in targets:
            for _ in range(target - done):
                if not isinstance(c.usage(), dict):
                    fail("usage is not an object")
            done = target
            points[str(done)] = rss_mb()[0]
        c.close()
    return {
        "client": a.client,
        "calls": a.calls,
        "concurrency": a.concurrency if is_async(a.client) else 1,
        "rss_mb": points,
        "peak_rss_mb": rss_mb()[1],
        "seconds": time.perf_counter() - start,
    }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("command", choices=["rates", "walk", "memory"])
    p.add_argument("--client", required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--write-key")
    p.add_argument("--duration", type=float, default=1.5)
    p.add_argument("--warmup", type=float, default=0.3)
    p.add_argument("--workloads", default=ALL)
    p.add_argument("--mode", choices=["iter", "seq"], default="iter")
    p.add_argument("--expect", type=int, default=0)
    p.add_argument("--calls", type=int, default=100_000)
    p.add_argument("--checkpoint", type=int, default=10_000)
    p.add_argument("--concurrency", type=int, default=IN_FLIGHT)
    a = p.parse_args()
    if a.command == "rates" and not a.write_key:
        a.write_key = a.key
    result = {"rates": rates, "walk": walk, "memory": memory}[a.command](a)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
