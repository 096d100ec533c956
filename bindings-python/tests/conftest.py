"""Fixtures: the real mock server (NIXFLEX_MOCK_URL, else a nixflex-mock started here), a fresh
tenant per test, and clients bound to it. Every test talks real HTTP to the mock."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import pytest
from nixflex import AsyncNixflex, Nixflex

ROOT = Path(__file__).resolve().parents[2]
FIGURES: list[str] = []


def _start_mock() -> tuple[str, subprocess.Popen[bytes]]:
    binary = ROOT / "target" / "debug" / "nixflex-mock"
    if not binary.exists():
        subprocess.run(["cargo", "build", "--quiet", "-p", "nixflex-mock"], cwd=ROOT, check=True)
    process = subprocess.Popen([str(binary), "--port", "0"], stdout=subprocess.PIPE)
    assert process.stdout is not None
    url = process.stdout.readline().decode().strip()
    if not url.startswith("http://"):
        process.kill()
        raise RuntimeError(f"nixflex-mock did not start: {url!r}")
    return url, process


@pytest.fixture(scope="session")
def mock_url() -> Iterator[str]:
    url = os.environ.get("NIXFLEX_MOCK_URL")
    if url:
        yield url.rstrip("/")
        return
    url, process = _start_mock()
    os.environ["NIXFLEX_MOCK_URL"] = url
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


class Mock:
    """The mock's admin API (`/__mock/`), for one tenant."""

    def __init__(self, url: str, tenant: dict[str, str]) -> None:
        self.url = url
        self.tenant = tenant
        self.key_id = tenant["key_id"]
        self.key_secret = tenant["key_secret"]
        self.api_key = tenant["api_key"]

    def admin(self, method: str, path: str, body: Optional[Any] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def faults(self, faults: list[dict[str, Any]], operation: Optional[str] = None, **extra: Any) -> None:
        body: dict[str, Any] = {"key_id": self.key_id, "faults": faults, **extra}
        if operation is not None:
            body["operation"] = operation
        self.admin("POST", "/__mock/faults", body)

    def journal(self, operation: Optional[str] = None) -> list[dict[str, Any]]:
        path = f"/__mock/journal?key_id={self.key_id}"
        if operation:
            path += f"&operation={operation}"
        requests: list[dict[str, Any]] = self.admin("GET", path)["requests"]
        return requests

    def config(self, **patch: Any) -> Any:
        return self.admin("PUT", f"/__mock/tenants/{self.key_id}/config", patch)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = self.admin("GET", f"/__mock/tenants/{self.key_id}/counts")
        return counts


def new_tenant(url: str) -> Mock:
    request = urllib.request.Request(url + "/__mock/tenants", data=b"{}", method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        return Mock(url, json.loads(response.read()))


@pytest.fixture
def mock(mock_url: str) -> Mock:
    return new_tenant(mock_url)


@pytest.fixture
def client(mock: Mock) -> Nixflex:
    return Nixflex(api_key=mock.api_key, base_url=mock.url)


@pytest.fixture
def aclient(mock: Mock) -> AsyncNixflex:
    return AsyncNixflex(api_key=mock.api_key, base_url=mock.url)


TWILIO = {"twilio_sid": "AC" + "0123456789abcdef" * 2, "twilio_token": "tok_test"}
NUMBER = "+447700900123"


def agent_with_number(client: Nixflex, number: str = NUMBER) -> str:
    """An agent with an outbound-capable number, ready for calls and SMS."""
    agent_id = client.agents.create(name="Front desk", system_prompt="Be brief.")["agent_id"]
    client.phone_numbers.import_(number, agent_id, twilio_sid=TWILIO["twilio_sid"], twilio_token=TWILIO["twilio_token"])
    return agent_id


def figure(text: str) -> None:
    """A figure printed in the summary of the run (the exactly-once numbers…)."""
    FIGURES.append(text)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FIGURES:
        terminalreporter.section("nixflex figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


def wait_until(predicate: Any, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False
