"""Exactly-once under faults: 500 `calls.create` while 30% of requests fail (503, 429, the
connection dropped after the work was done, a delay past the timeout before the work and one
after it). Every failure that reaches the caller is re-issued with the idempotency key its
error carries; the mock must hold exactly 500 calls."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

from conftest import Mock, agent_with_number, figure
from nixflex import Nixflex, NixflexError

CALLS = 500


def test_exactly_once_under_faults(mock: Mock) -> None:
    mock.config(call_ring_ms=0, call_duration_ms=0, journal=True)
    setup = Nixflex(mock.api_key, base_url=mock.url)
    agent_id = agent_with_number(setup)
    mock.admin(
        "POST",
        "/__mock/faults",
        {
            "key_id": mock.key_id,
            "operation": "calls.create",
            "random": {
                "probability": 0.3,
                "seed": 20260903,
                "choices": [
                    {"status": 503},
                    {"status": 429, "retry_after_ms": 20},
                    {"drop": "after"},
                    {"delay_ms": 1500},
                    {"delay_after_ms": 1500},
                ],
            },
        },
    )
    client = Nixflex(mock.api_key, base_url=mock.url, timeout=0.5, max_retries=2)
    lock = threading.Lock()
    surfaced: Counter[str] = Counter()
    attempts_seen: list[int] = []

    def one(i: int) -> str:
        key: Optional[str] = None
        for _ in range(20):
            try:
                call = client.calls.create(agent_id, f"+4477009{i:05d}", "Exactly once", idempotency_key=key)
                return str(call["call_id"])
            except NixflexError as err:
                assert err.idempotency_key, "a failed mutation carries its key"
                with lock:
                    surfaced[type(err).__name__] += 1
                    attempts_seen.append(err.attempts)
                key = err.idempotency_key
        raise AssertionError("call never succeeded")

    started = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        call_ids = list(pool.map(one, range(CALLS)))
    elapsed = time.monotonic() - started

    journal = mock.journal("calls.create")
    faults = Counter(
        next(iter(sorted(k for k in e["fault"] if k in ("status", "drop", "delay_ms", "delay_after_ms"))), "?")
        + ("=" + str(e["fault"].get("status") or e["fault"].get("drop") or "")).rstrip("=")
        for e in journal
        if e.get("fault")
    )
    replayed = sum(1 for e in journal if e.get("replayed"))
    # From the request headers: a faulted attempt is answered before the mock parses its key.
    keys = {e["headers"].get("idempotency-key") for e in journal}
    assert None not in keys, "every attempt carries a key"
    stored = mock.counts()["calls"]
    figure(
        f"exactly-once: {CALLS} logical calls.create, {len(journal)} requests received, "
        f"{sum(faults.values())} faults journaled ({dict(faults)}; a delay before the work is not journaled: "
        f"the client hung up first), {sum(surfaced.values())} failures surfaced "
        f"after retries ({dict(surfaced)}) and re-issued with their key, "
        f"{replayed} idempotent replays, {len(keys)} keys, "
        f"{len(set(call_ids))} distinct call ids, {stored} calls stored by the mock, {elapsed:.1f} s"
    )
    assert len(set(call_ids)) == CALLS
    assert stored == CALLS
    assert len(keys) == CALLS, "one idempotency key per logical call"
    assert sum(faults.values()) > 0.2 * CALLS
    assert replayed > 0, "work done under a fault was replayed"
    assert sum(surfaced.values()) > 0, "some calls exhausted their retries and were re-issued"
