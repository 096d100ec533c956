"""list() and iter() in both wire shapes, sync and async, for every paginated operation."""

from __future__ import annotations

import asyncio
from typing import Any

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


def _fill(client: Nixflex, what: str, n: int) -> None:
    agent_id = agent_with_number(client)
    for i in range(n):
        if what == "calls":
            client.calls.create(agent_id, f"+44770090060{i}", "Hello")
        elif what == "campaigns":
            client.campaigns.create(agent_id, NUMBER, "Remind", [{"phone": "+447700900610"}], name=f"V{i}")
        else:
            # Two of them scheduled far ahead, so that a status filter has an exact answer.
            later: dict[str, Any] = (
                {"schedule_type": "schedule", "scheduled_at": "2099-01-01T09:00:00Z"} if i < 2 else {}
            )
            client.sms.campaigns.create(agent_id, NUMBER, "Hi", [{"phone": "+447700900611"}], name=f"S{i}", **later)


def _resource(client: Any, what: str) -> Any:
    return client.sms.campaigns if what == "sms.campaigns" else getattr(client, what)


def _key(what: str) -> str:
    return "call_id" if what == "calls" else "campaign_id"


@pytest.mark.parametrize("shape", ["envelope", "array"])
@pytest.mark.parametrize("what", ["calls", "campaigns", "sms.campaigns"])
def test_every_paginated_operation_iterates(client: Nixflex, mock: Mock, what: str, shape: str) -> None:
    mock.config(list_shape=shape)
    _fill(client, what, 5)
    resource = _resource(client, what)
    listed = resource.list(limit=100)
    assert len(listed) == 5  # campaigns dial calls, but no test here makes both
    walked = [item[_key(what)] for item in resource.iter(page_size=2)]
    assert walked == [item[_key(what)] for item in listed]
    assert len(list(resource.iter(page_size=2, max_items=3))) == 3
    if what == "sms.campaigns":
        assert len(list(resource.iter(status="scheduled", page_size=1))) == 2
    pager = resource.iter(page_size=2)
    next(pager)
    assert pager.count == (5 if shape == "envelope" else None)
    assert pager.last_meta is not None and pager.last_meta.status == 200


@pytest.mark.parametrize("shape", ["envelope", "array"])
@pytest.mark.parametrize("what", ["calls", "campaigns", "sms.campaigns"])
def test_every_paginated_operation_iterates_async(
    client: Nixflex, aclient: AsyncNixflex, mock: Mock, what: str, shape: str
) -> None:
    mock.config(list_shape=shape)
    _fill(client, what, 5)
    expected = [item[_key(what)] for item in _resource(client, what).list(limit=100)]

    async def walk() -> tuple[list[str], int, int]:
        resource = _resource(aclient, what)
        walked = [item[_key(what)] async for item in resource.iter(page_size=2)]
        limited = len([item async for item in resource.iter(page_size=2, max_items=3)])
        scheduled = -1
        if what == "sms.campaigns":
            scheduled = len([c async for c in resource.iter(status="scheduled", page_size=1)])
        return walked, limited, scheduled

    walked, limited, scheduled = asyncio.run(walk())
    assert len(expected) == 5 and walked == expected and limited == 3
    assert scheduled == (2 if what == "sms.campaigns" else -1)


@pytest.mark.parametrize("shape", ["envelope", "array"])
def test_a_page_size_above_the_cap_walks_everything(
    client: Nixflex, aclient: AsyncNixflex, mock: Mock, shape: str
) -> None:
    # The array shape's cap is 200 (the envelope's 100): asking for 500 gets 200 per page, and a
    # walk that took "fewer than asked" for the end would stop after the first page.
    mock.config(list_shape=shape)

    async def create() -> None:
        await asyncio.gather(*(aclient.agents.create(name=f"A{i}") for i in range(230)))

    asyncio.run(create())
    first = client.agents.list(limit=500)
    assert len(first) == (200 if shape == "array" else 100)  # the cap applied
    assert len({a["agent_id"] for a in client.agents.iter(page_size=500)}) == 230

    async def walk() -> int:
        return len({a["agent_id"] async for a in aclient.agents.iter(page_size=500)})

    assert asyncio.run(walk()) == 230


def test_iter_errors_surface(client: Nixflex, mock: Mock) -> None:
    make_agents(client, 3)
    mock.faults([{"status": 401, "body": {"error": {"type": "auth", "code": "invalid_api_key", "message": "no"}}}])
    from nixflex import NixflexAuthenticationError

    with pytest.raises(NixflexAuthenticationError):
        list(client.agents.iter(page_size=1))
    with pytest.raises(TypeError):
        client.agents.iter(page_size=0)
