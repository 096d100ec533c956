"""The types are real at run time: TypedDicts know their required keys, with_meta refuses what it
cannot describe, and results match the TypedDict they are annotated with."""

from __future__ import annotations

import asyncio
import typing

import nixflex.types as t
import pytest
from conftest import NUMBER, Mock, agent_with_number
from nixflex import AsyncNixflex, Nixflex, with_meta


def test_typed_dicts_resolve_at_run_time() -> None:
    hints = typing.get_type_hints(t.Agent)
    assert hints["agent_id"] is str and hints["temperature"] is float
    assert t.Agent.__required_keys__ == frozenset({"agent_id"})
    assert "name" in t.Agent.__optional_keys__
    assert t.WebhookState.__required_keys__ == frozenset({"phone_number", "is_set"})
    call_hints = typing.get_type_hints(t.Call)
    assert call_hints["bookings"] == typing.List[t.Booking]


def test_with_meta_refuses_iterators(client: Nixflex, aclient: AsyncNixflex) -> None:
    with pytest.raises(TypeError, match="iter"):
        with_meta(client.agents.iter)
    with pytest.raises(TypeError, match="last_meta"):
        with_meta(aclient.calls.iter)


def test_webhooks_get_matches_its_typed_dict(client: Nixflex, aclient: AsyncNixflex, mock: Mock) -> None:
    agent_with_number(client)
    client.webhooks.set(NUMBER, "https://example.com/1")
    client.webhooks.set(NUMBER, "https://example.com/2", slot=2)
    first = client.webhooks.get(NUMBER)
    second = asyncio.run(aclient.webhooks.get(NUMBER, slot=2))
    assert first["webhook_url"] == "https://example.com/1" and first["is_set"] is True
    assert second["webhook_url_2"] == "https://example.com/2"
    for result, cls in ((first, t.WebhookState), (second, t.Webhook2State)):
        assert cls.__required_keys__ <= set(result) <= set(typing.get_type_hints(cls))
