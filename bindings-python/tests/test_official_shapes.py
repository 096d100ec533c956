"""What code written for the official SDK 0.2 relies on beyond names: the shape of list results,
keyword arguments the official methods passed through into the body, and omissions the official
SDK left to the server."""

from __future__ import annotations

import asyncio

import pytest
from conftest import NUMBER, Mock, agent_with_number
from nixflex import AsyncNixflex, Nixflex, NixflexInvalidRequestError, Page


@pytest.mark.parametrize("shape", ["envelope", "array"])
def test_a_page_answers_the_envelopes_keys(client: Nixflex, mock: Mock, shape: str) -> None:
    mock.config(list_shape=shape)
    agent_id = agent_with_number(client)
    for i in range(3):
        client.sms.campaigns.create(agent_id, NUMBER, "Hi", [{"phone": "+447700900611"}], name=f"S{i}")
    listed = client.sms.campaigns.list(limit=10)
    # The official SDK returned {"campaigns": [...]}; the page is also that list.
    assert isinstance(listed["campaigns"], list) and len(listed["campaigns"]) == 3
    assert listed.get("campaigns") == list(listed) and listed.get("nope", "default") == "default"
    assert listed[0]["campaign_id"] == listed["campaigns"][0]["campaign_id"]
    assert client.agents.list()["agents"][0]["agent_id"] == agent_id
    if shape == "envelope":
        assert listed["count"] == 3 and listed.get("limit") == 10
    else:
        assert listed.get("count") is None
        with pytest.raises(KeyError, match="'count'.*'campaigns'"):
            listed["count"]
    with pytest.raises(KeyError, match="calls"):
        listed["calls"]


def test_a_page_pickles_with_its_key() -> None:
    import pickle

    page: Page[int] = Page([1, 2], 2, 10, 0, "agents")
    again = pickle.loads(pickle.dumps(page))
    assert again == [1, 2] and again["agents"] == [1, 2] and again["count"] == 2


def test_other_keywords_of_official_methods_go_into_the_body(client: Nixflex, mock: Mock) -> None:
    agent_id = agent_with_number(client)
    client.campaigns.create(agent_id, NUMBER, "Remind", [{"phone": "+447700900610"}], metadata={"crm": "42"})
    assert mock.journal("campaigns.create")[-1]["body"]["metadata"] == {"crm": "42"}
    client.calls.create(agent_id, "+447700900555", "Hi", ticket="T-1")
    assert mock.journal("calls.create")[-1]["body"]["ticket"] == "T-1"
    client.sms.send(agent_id, NUMBER, "+447700900555", "Hi", tag=None)
    assert mock.journal("sms.send")[-1]["body"]["tag"] is None  # sent as given, null included
    client.sms.campaigns.create(agent_id, NUMBER, "Hi", [{"phone": "+447700900611"}], name="S", source="crm")
    assert mock.journal("sms.campaigns.create")[-1]["body"]["source"] == "crm"
    client.phone_numbers.delete(NUMBER)
    client.phone_numbers.import_(NUMBER, agent_id, twilio_sid="AC" + "1" * 32, twilio_token="t", label="main")
    body = mock.journal("phone_numbers.import")[-1]["body"]
    assert body["label"] == "main" and body["twilio_sid"] == "AC" + "1" * 32
    # A name given both as a keyword and in extra_body is still an error, not a silent choice.
    with pytest.raises(TypeError, match="'ticket' both"):
        client.calls.create(agent_id, "+447700900555", "Hi", ticket="a", extra_body={"ticket": "b"})


def test_async_official_methods_forward_keywords_too(aclient: AsyncNixflex, client: Nixflex, mock: Mock) -> None:
    agent_id = agent_with_number(client)
    asyncio.run(aclient.campaigns.create(agent_id, NUMBER, "Remind", [{"phone": "+447700900610"}], metadata={"a": 1}))
    assert mock.journal("campaigns.create")[-1]["body"]["metadata"] == {"a": 1}


def test_agents_create_without_a_name_gets_the_servers_error(client: Nixflex, mock: Mock) -> None:
    # The official agents.create(**params) sent whatever it got; the server decides.
    with pytest.raises(NixflexInvalidRequestError) as caught:
        client.agents.create(system_prompt="No name")
    assert caught.value.code == "missing_field" and caught.value.status == 400
    assert mock.journal("agents.create")[-1]["body"] == {"system_prompt": "No name"}
    assert mock.counts()["agents"] == 0
