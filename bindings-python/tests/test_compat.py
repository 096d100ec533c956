"""Code written for the official SDK 0.2 keeps working; its bugs do not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nixflex
import pytest
from conftest import NUMBER, Mock, agent_with_number
from nixflex import Nixflex

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.parametrize("example", ["official_readme.py", "quickstart.py"])
def test_examples_run_unchanged(mock: Mock, example: str) -> None:
    env = dict(os.environ, NIXFLEX_API_KEY=mock.api_key, NIXFLEX_BASE_URL=mock.url)
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / example)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_official_field_names_are_sent_as_the_apis(client: Nixflex, mock: Mock) -> None:
    agent_id = agent_with_number(client)
    client.calls.create(agent_id, "+447700900555", "Hi", None, {"name": "Ada"})
    assert mock.journal("calls.create")[-1]["body"]["dynamic_vars"] == {"name": "Ada"}
    assert "variables" not in mock.journal("calls.create")[-1]["body"]
    client.sms.campaigns.create(agent_id, NUMBER, "Hi {name}", [{"phone": "+447700900556"}], name="R")
    body = mock.journal("sms.campaigns.create")[-1]["body"]
    assert body["message_template"] == "Hi {name}" and body["schedule_type"] == "now" and "message" not in body
    client.sms.campaigns.create(agent_id, NUMBER, message="Legacy", recipients=[{"phone": "+447700900556"}], name="R2")
    assert mock.journal("sms.campaigns.create")[-1]["body"]["message_template"] == "Legacy"
    client.phone_numbers.delete(NUMBER)
    client.phone_numbers.import_(NUMBER, agent_id, twilio_account_sid="AC" + "1" * 32, twilio_auth_token="tok")
    body = mock.journal("phone_numbers.import")[-1]["body"]
    assert body["twilio_sid"] == "AC" + "1" * 32 and body["twilio_token"] == "tok"
    client.webhooks.set(NUMBER, "https://example.com/2", slot=2)
    assert mock.journal()[-1]["operation"] == "integrations.webhook2.set"
    assert mock.journal()[-1]["path"] == "/v1/integrations/webhook2/number/%2B447700900123"


def test_ids_are_encoded_in_paths(client: Nixflex, mock: Mock) -> None:
    with pytest.raises(nixflex.NixflexNotFoundError):
        client.agents.get("a/b?x=1#y")
    assert mock.journal("agents.get")[-1]["path"] == "/v1/agents/a%2Fb%3Fx%3D1%23y"
    assert mock.journal("agents.get")[-1]["decoded_path_params"] == {"agent_id": "a/b?x=1#y"}


def test_unknown_or_conflicting_arguments_are_errors(client: Nixflex) -> None:
    with pytest.raises(TypeError, match="nmae"):
        client.agents.create(name="x", nmae="typo")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="variables"):
        client.calls.create("agent_x", "+447700900555", "Hi", variables={"a": "1"}, dynamic_vars={"a": "2"})
    with pytest.raises(TypeError, match="twilio"):
        client.phone_numbers.import_(NUMBER, "agent_x", twilio_sid="AC1", twilio_account_sid="AC2")
    with pytest.raises(TypeError, match="temperature"):
        client.agents.create(name="x", temperature="hot")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="agent_id"):
        client.agents.get(123)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="limit"):
        client.agents.list(limit="10")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="both"):
        client.agents.create(name="x", extra_body={"name": "y"})
    with pytest.raises(ValueError, match="slot"):
        client.webhooks.set(NUMBER, "https://example.com", slot=3)
    with pytest.raises(TypeError, match="transport"):
        Nixflex("nxf_a:nxfs_b", transport=object())


def test_extra_body_and_null(client: Nixflex, mock: Mock) -> None:
    agent = client.agents.create(name="x", extra_body={"brand_new_field": 1}, voicemail_message=None)
    body = mock.journal("agents.create")[-1]["body"]
    assert body["brand_new_field"] == 1 and body["voicemail_message"] is None
    client.agents.update(agent["agent_id"], name="y")
    assert mock.journal("agents.update")[-1]["body"] == {"name": "y"}  # nothing unasked is sent


def test_environment_and_headers(mock: Mock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIXFLEX_API_KEY", mock.api_key)
    monkeypatch.setenv("NIXFLEX_BASE_URL", mock.url)
    client = Nixflex()
    assert client.key_id == mock.key_id and mock.key_secret not in repr(client)
    client.usage.get()
    headers = mock.journal("usage.get")[-1]["headers"]
    assert headers["user-agent"].startswith(f"nixflex-python/{nixflex.__version__} ")
    assert "content-type" not in headers and "idempotency-key" not in headers
    created = Nixflex.create_key(name="Signup", base_url=mock.url)
    assert created["key_id"].startswith("nxf_") and created["key_secret"].startswith("nxfs_")
