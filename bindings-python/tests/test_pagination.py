"""list() and iter() in both wire shapes, sync and async, for every paginated operation."""

from __future__ import annotations

import asyncio

import pytest
from conftest import NUMBER, Mock, agent_with_number
from nixflex import AsyncNixflex, Nixflex, Page


def make_agents(client: Nixflex, n: int) -> list[str]:
    return [client.agents.create(name=f"Agent {i}")["agent_id"] for i in range(n)]


@pytest.mark.parametrize("shape", ["envelope", "array"])
def test_list_returns_a_page_in_both_shapes(client: Nixflex, mock: Mock, shape: str) -> None:
    mock.config(list_shape=shape)
    make_agents(client, 5)
    page = client.agents.list(limit=2, offset=1)
    assert isinstance(page, Page) and isinstance(page, list)
    assert len(page) == 2 and all("agent_id" in a for a in page)
    if shape == "envelope":
        assert (page.count, page.limit, page.offset) == (5, 2, 1)
    else:
        assert (page.count, page.limit, page.offset) == (None, None, None)


@pytest.mark.parametrize("shape", ["envelope", "array"])
def test_iter_walks_everything_in_order(client: Nixflex, mock: Mock, shape: str) -> None:
    mock.config(list_shape=shape)
    ids = make_agents(client, 7)
    walked = [a["agent_id"] for a in client.agents.iter(page_size=2)]
    assert sorted(walked) == sorted(ids) and len(walked) == 7
    assert walked == [a["agent_id"] for a in client.agents.list(limit=100)]
    assert len(list(client.agents.iter(page_size=2, max_items=3))) == 3
    assert list(client.agents.iter(max_items=0)) == []
    # A page size above the server's cap does not end the walk early.
    assert len(list(client.agents.iter(page_size=1000))) == 7


@pytest.mark.parametrize("shape", ["envelope", "array"])
def test_async_iter(aclient: AsyncNixflex, client: Nixflex, mock: Mock, shape: str) -> None:
    mock.config(list_shape=shape)
    ids = make_agents(client, 5)

    async def walk() -> list[str]:
        out = []
        async for agent in aclient.agents.iter(page_size=2):
            out.append(agent["agent_id"])
        limited = [a async for a in aclient.agents.iter(page_size=2, max_items=3)]
        assert len(limited) == 3
        page = await aclient.agents.list(limit=2)
        assert len(page) == 2
        return out

    assert sorted(asyncio.run(walk())) == sorted(ids)


def test_every_paginated_operation_iterates(client: Nixflex, mock: Mock) -> None:
    agent_id = agent_with_number(client)
    for i in range(3):
        client.calls.create(agent_id, f"+44770090060{i}", "Hello")
        client.campaigns.create(agent_id, NUMBER, "Remind", [{"phone": "+447700900610"}], name=f"V{i}")
        client.sms.campaigns.create(agent_id, NUMBER, "Hi", [{"phone": "+447700900611"}], name=f"S{i}")
    calls = client.calls.list(limit=100)
    assert len(calls) >= 3 and calls.count == len(calls)  # campaigns dial calls too
    assert [c["call_id"] for c in client.calls.iter(page_size=2)] == [c["call_id"] for c in calls]
    assert len(list(client.campaigns.iter(page_size=2))) == 3
    assert len(list(client.sms.campaigns.iter(page_size=2))) == 3
    assert len(list(client.sms.campaigns.iter(status="running", page_size=2))) <= 3
    pager = client.calls.iter(page_size=2)
    next(pager)
    assert pager.count == len(calls) and pager.last_meta is not None and pager.last_meta.status == 200


def test_iter_errors_surface(client: Nixflex, mock: Mock) -> None:
    make_agents(client, 3)
    mock.faults([{"status": 401, "body": {"error": {"type": "auth", "code": "invalid_api_key", "message": "no"}}}])
    from nixflex import NixflexAuthenticationError

    with pytest.raises(NixflexAuthenticationError):
        list(client.agents.iter(page_size=1))
    with pytest.raises(TypeError):
        client.agents.iter(page_size=0)
