"""Code in the style of the official Python SDK 0.2's README and docs, unchanged: it must run as
is. Every one of the official SDK's 44 methods is called once, in the call shape and with the
result shape the official SDK documented (lists of agents and calls are lists; SMS campaigns and
phone numbers come as ``{"campaigns": [...]}`` and ``{"phone_numbers": [...], "count": N}``).

NIXFLEX_API_KEY=nxf_…:nxfs_… NIXFLEX_BASE_URL=http://127.0.0.1:8080 python official_readme.py
"""

from __future__ import annotations

import asyncio
import os

from nixflex import AsyncNixflex, Nixflex, NixflexError, NixflexNotFoundError, NixflexRateLimitError
from nixflex.webhook import verify_webhook_signature

API_KEY = os.environ["NIXFLEX_API_KEY"]
BASE_URL = os.environ.get("NIXFLEX_BASE_URL")
NUMBER = "+447700900123"
CALLER = "+447700900555"


def agents_and_numbers(client: Nixflex) -> str:
    agent = client.agents.create(name="Front desk", system_prompt="You are a friendly receptionist.")
    print("agent", agent["agent_id"])
    client.agents.update(agent["agent_id"], welcome_message="Hi! How can I help?")
    print("agent name", client.agents.get(agent["agent_id"])["name"])
    for a in client.agents.list(limit=10, offset=0):
        print(" -", a["agent_id"])
    spare = client.agents.create(name="Spare")
    print("deleted", client.agents.delete(spare["agent_id"])["deleted"])

    number = client.phone_numbers.import_(
        NUMBER,
        agent["agent_id"],
        twilio_account_sid="AC" + "0" * 32,
        twilio_auth_token="your_auth_token",
    )
    print("number", number["phone_number"]["phone_number"])
    numbers = client.phone_numbers.list(agent_id=agent["agent_id"])
    print("numbers", numbers["count"], [n["phone_number"] for n in numbers["phone_numbers"]])
    client.phone_numbers.update(NUMBER, sms_reply_enabled=True)
    client.phone_numbers.set_monitor(NUMBER, True)
    print("monitor", client.phone_numbers.get_monitor(NUMBER)["monitor_enabled"])
    client.phone_numbers.set_web_calls(NUMBER, True)
    print("web calls", client.phone_numbers.get_web_calls(NUMBER)["web_calls_enabled"])

    client.webhooks.set(NUMBER, "https://example.com/nixflex", slot=1)
    print("webhook", client.webhooks.get(NUMBER, slot=1)["is_set"])
    client.webhooks.delete(NUMBER, slot=1)
    return str(agent["agent_id"])


def calls_and_campaigns(client: Nixflex, agent_id: str) -> None:
    call = client.calls.create(
        agent_id,
        CALLER,
        "Confirm tomorrow's appointment at 10am.",
        variables={"customer_name": "Ada"},
    )
    print("call", call["call_id"], call["status"])
    # The README's own first call: keyword arguments, the API's field names.
    call = client.calls.create(
        agent_id=agent_id,
        to_number="+447700900556",
        prompt="Call Sam to confirm his appointment on Tuesday at 11.",
    )
    print("status", client.calls.get(call["call_id"])["call_status"])
    for c in client.calls.list(limit=10, offset=0, agent_id=agent_id):
        print(" -", c["call_id"])
    print("deleted", client.calls.delete(call["call_id"])["deleted"])

    # Fields the official SDK had no argument for go through **extra, into the body.
    batch = client.campaigns.create(
        agent_id, NUMBER, "Remind them", [{"phone": "+447700900558"}], name="Reminders", skip_invalid=True
    )
    print("launched", client.campaigns.launch(batch["campaign_id"])["status"])


def callers_and_sms(client: Nixflex, agent_id: str) -> None:
    client.callers.set(NUMBER, CALLER, name="Ada", preference="mornings")
    print("caller", client.callers.get(NUMBER, CALLER)["caller"]["context"])
    client.callers.import_(NUMBER, [{"caller_number": "+447700900556", "name": "Bob"}])
    client.callers.delete(NUMBER, "+447700900556")

    client.sms.send(agent_id, NUMBER, CALLER, "See you tomorrow!")
    campaign = client.sms.campaigns.create(
        agent_id,
        NUMBER,
        "Hi {name}, reminder for tomorrow.",
        [{"phone": "+447700900557", "variables": {"name": "Ada"}}],
        name="Reminders",
        schedule_type="schedule",
        scheduled_at="2099-01-01T09:00:00Z",
    )
    print("sms campaign", client.sms.campaigns.get(campaign["campaign_id"])["status"])
    print("launched", client.sms.campaigns.launch(campaign["campaign_id"])["status"])
    listed = client.sms.campaigns.list(status="running", limit=10)
    print("sms campaigns", len(listed["campaigns"]), [c["campaign_id"] for c in listed.get("campaigns", [])])
    print("cancelled", client.sms.campaigns.delete(campaign["campaign_id"])["deleted"])


def account(client: Nixflex) -> None:
    client.storage.set(bucket="recordings", access_key="AKIA0000", secret_key="s3cret", region="eu-west-1")
    print("storage", client.storage.get()["storage_enabled"], client.storage.delete()["storage_enabled"])
    client.llm.set(endpoint="https://llm.example.com/v1", model="my-model", api_key="sk-test")
    print("llm", client.llm.get()["byo_llm_enabled"], client.llm.delete()["byo_llm_enabled"])
    client.tts.set(provider="elevenlabs", voice_id="voice_1", api_key="el-test")
    print("tts", client.tts.get()["byo_tts_enabled"], client.tts.delete()["byo_tts_enabled"])
    print("usage", client.usage.get()["total_calls"])

    try:
        client.agents.get("agent_does_not_exist")
    except NixflexNotFoundError as e:
        print("not found:", e.status, e.code, e.request_id)
    except NixflexRateLimitError as e:
        print("slow down", e.retry_after_seconds)
    except NixflexError as e:
        print("error", e.status, e.code, e.message)

    body = b'{"event":"call.completed","call_id":"CA123"}'
    header = "t=1755300000,v1=8244940dd2d19c8d603cfd55b40de1cd94b98de4aca1f56b98cdd5f44ea98031"
    print("signature ok:", verify_webhook_signature(body, header, "nxfs_testsecret_0123456789abcdef", now=1755300000))


def main() -> str:
    client = Nixflex(api_key=API_KEY, base_url=BASE_URL, timeout=30.0, max_retries=1)
    agent_id = agents_and_numbers(client)
    calls_and_campaigns(client, agent_id)
    callers_and_sms(client, agent_id)
    account(client)
    client.close()

    with Nixflex(api_key=API_KEY, base_url=BASE_URL) as scoped:
        print("agents", len(scoped.agents.list()))
        print("calls erased", scoped.calls.delete_all()["deleted"])
        scoped.phone_numbers.delete(NUMBER)
        rotated = scoped.keys.rotate()  # the old secret stops working at once
    return f"{rotated['key_id']}:{rotated['key_secret']}"


async def async_main(api_key: str) -> None:
    async with AsyncNixflex(api_key=api_key, base_url=BASE_URL) as client:
        agents = await client.agents.list(limit=5)
        usage = await client.usage.get()
        print("async", len(agents), usage["plan"])


if __name__ == "__main__":
    new_key = main()
    asyncio.run(async_main(new_key))
