"""Per-call options, with_options, and results with their metadata."""

from __future__ import annotations

import asyncio
import time

import nixflex
import pytest
from conftest import Mock
from nixflex import AsyncNixflex, Nixflex, ResponseMeta, with_meta


def test_timeout_per_call(client: Nixflex, mock: Mock) -> None:
    mock.faults([{"delay_ms": 3000}])
    started = time.monotonic()
    with pytest.raises(nixflex.NixflexTimeoutError):
        client.usage.get(timeout=0.3, max_retries=0)
    assert time.monotonic() - started < 2


def test_max_retries_per_call(client: Nixflex, mock: Mock) -> None:
    mock.faults([{"status": 503}, {"status": 503}])
    agent, meta = with_meta(client.agents.create)(name="Retried")
    assert meta.attempts == 3 and meta.status == 201
    keys = {e["headers"].get("idempotency-key") for e in mock.journal("agents.create")}
    assert keys == {meta.idempotency_key}  # one key on every attempt
    mock.faults([{"status": 503}])
    with pytest.raises(nixflex.NixflexServerError) as info:
        client.agents.create(name="Not retried", max_retries=0)
    assert info.value.attempts == 1


def test_idempotency_key_and_extra_headers(client: Nixflex, mock: Mock) -> None:
    client.agents.create(name="Keyed", idempotency_key="my-key-123", extra_headers={"X-Trace": "abc"})
    entry = mock.journal("agents.create")[-1]
    assert entry["headers"]["idempotency-key"] == "my-key-123"
    assert entry["headers"]["x-trace"] == "abc"
    again = client.agents.create(name="Keyed", idempotency_key="my-key-123")
    assert mock.counts()["agents"] == 1  # replayed, not created twice
    assert again["name"] == "Keyed"


def test_with_options(client: Nixflex, mock: Mock) -> None:
    slow = client.with_options(timeout=0.3, max_retries=0, extra_headers={"X-Team": "ops"})
    assert client.timeout == 30.0
    mock.faults([{"delay_ms": 2000}])
    with pytest.raises(nixflex.NixflexTimeoutError):
        slow.usage.get()
    slow.usage.get(timeout=5)
    assert mock.journal("usage.get")[-1]["headers"]["x-team"] == "ops"
    client.usage.get()
    assert "x-team" not in mock.journal("usage.get")[-1]["headers"]


def test_meta(client: Nixflex) -> None:
    usage, meta = with_meta(client.usage.get)()
    assert isinstance(meta, ResponseMeta)
    assert usage["plan"]
    assert meta.status == 200 and meta.attempts == 1 and meta.idempotency_key is None
    assert meta.request_id == meta.headers["x-request-id"]
    page, meta = with_meta(client.agents.list)(limit=5)
    assert isinstance(page, list) and meta.status == 200
    call, meta = with_meta(client.agents.create)(name="With meta")
    assert meta.idempotency_key and meta.status == 201


def test_async_options_and_meta(aclient: AsyncNixflex, mock: Mock) -> None:
    async def main() -> None:
        agent, meta = await with_meta(aclient.agents.create)(name="Async", idempotency_key="k-async-1")
        assert meta.idempotency_key == "k-async-1" and agent["name"] == "Async"
        mock.faults([{"delay_ms": 2000}])
        with pytest.raises(nixflex.NixflexTimeoutError):
            await aclient.with_options(max_retries=0).usage.get(timeout=0.2)

    asyncio.run(main())


def test_bad_options_are_clear(client: Nixflex) -> None:
    with pytest.raises(TypeError, match="timeout"):
        client.usage.get(timeout="5")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="max_retries"):
        client.usage.get(max_retries=-1)
    with pytest.raises(nixflex.NixflexError):
        client.usage.get(timeout=-1)
