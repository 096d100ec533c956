"""Code in the style of the official Python SDK 0.2's README, unchanged: it must run as is.

NIXFLEX_API_KEY=nxf_…:nxfs_… NIXFLEX_BASE_URL=http://127.0.0.1:8080 python official_readme.py
"""

from __future__ import annotations

import asyncio
import os

from nixflex import AsyncNixflex, Nixflex, NixflexError, NixflexNotFoundError, NixflexRateLimitError
from nixflex.webhook import verify_webhook_signature

API_KEY = os.environ["NIXFLEX_API_KEY"]
BASE_URL = os.environ.get("NIXFLEX_BASE_URL")


def main() -> None:
    client = Nixflex(api_key=API_KEY, base_url=BASE_URL, timeout=30.0, max_retries=1)

    agent = client.agents.create(name="Front desk", system_prompt="You are a friendly receptionist.")
    print("agent", agent["agent_id"])
    client.agents.update(agent["agent_id"], welcome_message="Hi! How can I help?")

    number = client.phone_numbers.import_(
        "+447700900123",
        agent["agent_id"],
        twilio_account_sid="AC" + "0" * 32,
        twilio_auth_token="your_auth_token",
    )
    print("number", number["phone_number"]["phone_number"])
    client.phone_numbers.update("+447700900123", sms_reply_enabled=True)
    client.phone_numbers.set_monitor("+447700900123", True)
    client.webhooks.set("+447700900123", "https://example.com/nixflex", slot=1)

    call = client.calls.create(
        agent["agent_id"],
        "+447700900555",
        "Confirm tomorrow's appointment at 10am.",
        variables={"customer_name": "Ada"},
    )
    print("call", call["call_id"], call["status"])
    # The README's own first call: keyword arguments, the API's field names.
    call = client.calls.create(
        agent_id=agent["agent_id"],
        to_number="+447700900123",
        prompt="Call Sam to confirm his appointment on Tuesday at 11.",
    )
    print(call["call_id"])
    for c in client.calls.list(limit=10):
        print(" -", c["call_id"])

    client.callers.set("+447700900123", "+447700900555", name="Ada", preference="mornings")
    client.callers.import_("+447700900123", [{"caller_number": "+447700900556", "name": "Bob"}])

    client.sms.send(agent["agent_id"], "+447700900123", "+447700900555", "See you tomorrow!")
    campaign = client.sms.campaigns.create(
        agent["agent_id"],
        "+447700900123",
        "Hi {name}, reminder for tomorrow.",
        [{"phone": "+447700900557", "variables": {"name": "Ada"}}],
        name="Reminders",
    )
    print("sms campaign", client.sms.campaigns.get(campaign["campaign_id"])["status"])
    print("sms campaigns", len(client.sms.campaigns.list(status="running", limit=10)))

    batch = client.campaigns.create(agent["agent_id"], "+447700900123", "Remind them", [{"phone": "+447700900558"}])
    client.campaigns.launch(batch["campaign_id"])

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
    client.close()

    with Nixflex(api_key=API_KEY, base_url=BASE_URL) as scoped:
        print("agents", len(scoped.agents.list()))


async def async_main() -> None:
    async with AsyncNixflex(api_key=API_KEY, base_url=BASE_URL) as client:
        agents = await client.agents.list(limit=5)
        usage = await client.usage.get()
        print("async", len(agents), usage["plan"])


if __name__ == "__main__":
    main()
    asyncio.run(async_main())
