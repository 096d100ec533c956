"""The tour of the Python SDK: run against the mock server (`./scripts/demo` starts one).

NIXFLEX_API_KEY=nxf_…:nxfs_… NIXFLEX_BASE_URL=http://127.0.0.1:8080 python quickstart.py
"""

from __future__ import annotations

import asyncio
import logging

import nixflex
from nixflex import AsyncNixflex, Nixflex, with_meta
from nixflex.types import Agent


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    client = Nixflex()  # NIXFLEX_API_KEY, NIXFLEX_BASE_URL

    agent: Agent = client.agents.create(name="Front desk", system_prompt="Be brief.")
    client.phone_numbers.import_("+447700900123", agent["agent_id"], twilio_sid="AC" + "0" * 32, twilio_token="t")

    # Results with their metadata: status, headers, request id, attempts, idempotency key.
    call, meta = with_meta(client.calls.create)(agent["agent_id"], "+447700900555", "Confirm the booking")
    print(call["call_id"], meta.request_id, meta.attempts, meta.idempotency_key)

    # Per-call options, or defaults for everything made through a derived client.
    usage = client.usage.get(timeout=5, max_retries=4)
    slow = client.with_options(timeout=60, extra_headers={"X-Team": "billing"})
    print(usage["total_calls"], slow.usage.get()["plan"])

    # Every item, page by page, in either list shape.
    for item in client.calls.iter(max_items=50):
        print(item["call_id"], item.get("call_status"))

    # Errors carry the key to re-issue a failed mutation safely.
    try:
        client.calls.create(agent["agent_id"], "+447700900556", "Hi", timeout=0.001, max_retries=0)
    except nixflex.NixflexTimeoutError as err:
        again = client.calls.create(agent["agent_id"], "+447700900556", "Hi", idempotency_key=err.idempotency_key)
        print("re-issued once:", again["call_id"])
    except nixflex.NixflexError as err:
        print(type(err).__name__, err.code, err.request_id)


async def async_tour() -> None:
    async with AsyncNixflex() as client:
        agents = await asyncio.gather(*(client.agents.create(name=f"Agent {i}") for i in range(5)))
        print(len(agents), "agents")
        async for agent in client.agents.iter(page_size=2):
            print(agent["agent_id"])


if __name__ == "__main__":
    main()
    asyncio.run(async_tour())
