"""Every one of the 78 operations, once, through the public API, sync and async; the mock's
journal proves each reached the server."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
from conftest import NUMBER, TWILIO, Mock
from nixflex import AsyncNixflex, Nixflex, _native


async def run(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def every_operation(c: Any, mock: Mock) -> None:
    """One call of every operation; `c` is a Nixflex or an AsyncNixflex."""
    key = await run(c.keys.create(name="Second key", email="ops@example.com"))
    assert key["key_id"].startswith("nxf_")

    agent = await run(c.agents.create(name="Front desk", system_prompt="Be brief.", temperature=0.5))
    agent_id = agent["agent_id"]
    assert (await run(c.agents.get(agent_id)))["name"] == "Front desk"
    assert (await run(c.agents.update(agent_id, name="Reception", voicemail_message=None)))["name"] == "Reception"
    assert len(await run(c.agents.list(limit=10))) == 1

    imported = await run(c.phone_numbers.import_(NUMBER, agent_id, **TWILIO))  # c is Any
    assert imported["phone_number"]["phone_number"] == NUMBER
    assert (await run(c.phone_numbers.list(agent_id=agent_id)))["count"] == 1
    await run(c.phone_numbers.update(NUMBER, sms_reply_enabled=True, custom_prompt=None))

    caller = "+447700900999"
    await run(c.phone_numbers.callers.set(NUMBER, caller, name="Ada", email="ada@example.com"))
    assert (await run(c.callers.get(NUMBER, caller)))["caller"]["context"]["name"] == "Ada"
    await run(c.callers.import_(NUMBER, [{"caller_number": "+447700900998", "name": "Bob"}]))
    await run(c.phone_numbers.callers.delete(NUMBER, caller))

    await run(c.phone_numbers.set_monitor(NUMBER, True))
    assert (await run(c.integrations.monitor.get(NUMBER)))["monitor_enabled"] is True
    await run(c.integrations.monitor.delete(NUMBER))
    await run(c.integrations.web_calls.set(NUMBER, enabled=True))
    await run(c.phone_numbers.get_web_calls(NUMBER))
    await run(c.integrations.web_calls.delete(NUMBER))
    for slot in (1, 2):
        await run(c.webhooks.set(NUMBER, "https://example.com/hook", slot=slot))
        assert (await run(c.webhooks.get(NUMBER, slot=slot)))["is_set"] is True
        await run(c.webhooks.delete(NUMBER, slot=slot))
    for name in ("zapier", "make", "gohighlevel", "slack", "precall"):
        integration = getattr(c.integrations, name)
        await run(integration.set(NUMBER, url="https://example.com/" + name))
        await run(integration.get(NUMBER))
        await run(integration.delete(NUMBER))
    await run(c.integrations.calcom.set(NUMBER, api_key="cal_test", username="ada", event_slug="30min"))
    await run(c.integrations.calcom.get(NUMBER))
    await run(c.integrations.calcom.delete(NUMBER))
    await run(c.integrations.precall_agent.set(agent_id, url="https://example.com/gate"))
    await run(c.integrations.precall_agent.get(agent_id))
    await run(c.integrations.precall_agent.delete(agent_id))
    function = await run(c.integrations.custom_functions.create(NUMBER, name="lookup", url="https://example.com/fn"))
    await run(c.integrations.custom_functions.list(NUMBER))
    await run(c.integrations.custom_functions.update(NUMBER, function["id"], description="Looks things up"))
    await run(c.integrations.custom_functions.delete(NUMBER, function["id"]))

    call = await run(c.calls.create(agent_id, "+447700900555", "Confirm the booking", variables={"name": "Ada"}))
    assert (await run(c.calls.get(call["call_id"])))["call_id"] == call["call_id"]
    assert len(await run(c.calls.list(limit=5))) >= 1
    await run(c.calls.delete(call["call_id"]))
    await run(c.calls.delete_all())

    campaign = await run(
        c.campaigns.create(agent_id, NUMBER, "Remind them", [{"phone": "+447700900556"}], name="Voice")
    )
    await run(c.campaigns.launch(campaign["campaign_id"]))
    await run(c.campaigns.list(limit=5))

    await run(c.sms.send(agent_id, NUMBER, "+447700900557", "Hello"))
    sms = await run(
        c.sms.campaigns.create(
            agent_id,
            NUMBER,
            "Hi {name}",
            [{"phone": "+447700900558", "variables": {"name": "Ada"}}],
            name="Reminders",
            schedule_type="schedule",
            scheduled_at="2099-01-01T10:00:00Z",
        )
    )
    await run(c.sms.campaigns.list(status="scheduled"))
    await run(c.sms.campaigns.get(sms["campaign_id"]))
    await run(c.sms.campaigns.update(sms["campaign_id"], name="Renamed"))
    await run(c.sms.campaigns.launch(sms["campaign_id"]))
    await run(c.sms.campaigns.delete(sms["campaign_id"]))

    assert "total_calls" in await run(c.usage.get())
    await run(c.storage.set("recordings", "AKIA_TEST", "secret_test", region="auto"))
    await run(c.storage.get())
    await run(c.storage.delete())
    await run(c.llm.set("https://llm.example.com/v1", "gpt-test", "sk_test"))
    await run(c.llm.get())
    await run(c.llm.delete())
    await run(c.tts.set("elevenlabs", "voice_1", "el_test"))
    await run(c.tts.get())
    await run(c.tts.delete())

    await run(c.phone_numbers.delete(NUMBER))
    await run(c.agents.delete(agent_id))
    rotated = await run(c.keys.rotate())
    fresh = type(c)(f"{rotated['key_id']}:{rotated['key_secret']}", base_url=mock.url)
    assert (await run(fresh.account.delete()))["ok"] is True


def operations_seen(mock: Mock) -> set[str]:
    return {entry["operation"] for entry in mock.journal() if entry.get("operation")}


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_every_operation_reaches_the_mock(mock: Mock, kind: str) -> None:
    c: Any = (
        Nixflex(mock.api_key, base_url=mock.url) if kind == "sync" else AsyncNixflex(mock.api_key, base_url=mock.url)
    )
    asyncio.run(every_operation(c, mock))
    expected = set(_native.operation_ids())
    assert len(expected) == 78
    # keys.create is unauthenticated, so the journal (per tenant) cannot see it; it returned a key.
    missing = expected - operations_seen(mock) - {"keys.create"}
    assert not missing, f"operations not exercised: {sorted(missing)}"


def test_every_operation_has_a_method() -> None:
    client = Nixflex("nxf_test:nxfs_test")
    for op_id in _native.operation_ids():
        target: Any = client
        *resources, method = op_id.split(".")
        for name in resources:
            target = getattr(target, name)
        assert callable(getattr(target, "import_" if method == "import" else method)), op_id
