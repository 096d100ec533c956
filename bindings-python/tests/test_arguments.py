"""`None` is never silently dropped: JSON null where the API takes null, a TypeError naming the
field (before anything is sent) where it does not."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from conftest import NUMBER, Mock, agent_with_number
from nixflex import AsyncNixflex, Nixflex


def test_none_for_a_non_nullable_field_is_a_type_error(client: Nixflex, mock: Mock) -> None:
    agent = client.agents.create(name="x")
    none: Any = None  # what a caller's variable may hold at run time
    with pytest.raises(TypeError, match="'system_prompt' must be str, not None"):
        client.agents.update(agent["agent_id"], system_prompt=none)
    with pytest.raises(TypeError, match="'temperature'"):
        client.agents.create(name="y", temperature=none)
    assert mock.journal("agents.update") == []  # nothing was sent
    assert mock.counts()["agents"] == 1


def test_none_for_a_nullable_field_is_sent_as_null(client: Nixflex, mock: Mock) -> None:
    agent = client.agents.create(name="x", voicemail_message="Leave a message")
    client.agents.update(agent["agent_id"], voicemail_message=None)
    assert mock.journal("agents.update")[-1]["body"] == {"voicemail_message": None}
    assert client.agents.get(agent["agent_id"]).get("voicemail_message") is None


def test_official_shaped_methods_do_not_drop_none(client: Nixflex, mock: Mock) -> None:
    agent_id = agent_with_number(client)
    none: Any = None
    with pytest.raises(TypeError, match="'campaign_id'"):
        client.calls.create(agent_id, "+447700900555", "Hi", campaign_id=none)
    with pytest.raises(TypeError, match="'name'"):
        client.campaigns.create(agent_id, NUMBER, "Remind", [{"phone": "+447700900610"}], name=none)
    with pytest.raises(TypeError, match="'schedule_type'"):
        client.sms.campaigns.create(agent_id, NUMBER, "Hi", [{"phone": "+447700900611"}], name="S", schedule_type=none)
    with pytest.raises(TypeError, match="'twilio_token'"):
        client.phone_numbers.import_("+447700900124", agent_id, twilio_sid="AC" + "2" * 32, twilio_token=none)
    with pytest.raises(TypeError, match="'context'"):
        client.sms.send(agent_id, NUMBER, "+447700900555", "Hi", context=none)
    assert [r["operation"] for r in mock.journal()][-1] == "phone_numbers.import"  # agent_with_number's


def test_official_positional_none_means_not_given(client: Nixflex, mock: Mock) -> None:
    # The official calls.create(agent_id, to, prompt, from_number=None, variables=None): None there
    # meant "not given", and still does (the server picks the agent's number).
    agent_id = agent_with_number(client)
    client.calls.create(agent_id, "+447700900555", "Hi", None, None)
    sent = mock.journal("calls.create")[-1]["body"]
    assert sent == {"agent_id": agent_id, "to_number": "+447700900555", "prompt": "Hi"}


def test_async_none_checks(aclient: AsyncNixflex, client: Nixflex, mock: Mock) -> None:
    agent = client.agents.create(name="x")
    none: Any = None
    with pytest.raises(TypeError, match="'language'"):
        asyncio.run(aclient.agents.update(agent["agent_id"], language=none))
    assert mock.journal("agents.update") == []


def test_create_key_does_not_drop_none(mock: Mock) -> None:
    none: Any = None
    with pytest.raises(TypeError, match="'email'"):
        Nixflex.create_key(name="Signup", email=none, base_url=mock.url)
    created = Nixflex.create_key(name="Signup", base_url=mock.url)
    assert created["key_id"].startswith("nxf_")
