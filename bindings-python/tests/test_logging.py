"""Logging through the standard `logging` module (logger `nixflex`), secrets redacted."""

from __future__ import annotations

import logging

import pytest
from conftest import Mock
from nixflex import Nixflex, NixflexServerError


def test_debug_logs_reach_logging_without_secrets(
    client: Nixflex, mock: Mock, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="nixflex"):
        mock.faults([{"status": 503}])
        client.agents.create(name="Logged")
    records = [r for r in caplog.records if r.name == "nixflex"]
    text = "\n".join(r.getMessage() for r in records)
    assert "agents.create" in text and "retrying" in text
    assert mock.key_secret not in text
    assert all(mock.key_secret not in str(r.__dict__) for r in records)


def test_quiet_by_default(client: Nixflex, mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="nixflex"):
        mock.faults([{"status": 503}])
        with pytest.raises(NixflexServerError):
            client.usage.get(max_retries=0)
    assert not [r for r in caplog.records if r.name == "nixflex" and r.levelno < logging.WARNING]
