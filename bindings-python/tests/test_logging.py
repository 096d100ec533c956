"""Logging through the standard `logging` module (logger `nixflex`), secrets redacted."""

from __future__ import annotations

import logging

import pytest
from conftest import Mock
from nixflex import Nixflex


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


def test_a_secret_in_logged_text_is_masked(client: Nixflex, mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    # The call's idempotency key is logged with every event; one that carries the key secret
    # (a careless key derivation) must still not put the secret in a log line.
    with caplog.at_level(logging.DEBUG, logger="nixflex"):
        mock.faults([{"status": 503}])
        client.agents.create(name="Masked", idempotency_key=f"derived-{mock.key_secret}")
    text = "\n".join(r.getMessage() for r in caplog.records if r.name == "nixflex")
    assert "derived-nxfs_***" in text
    assert mock.key_secret not in text


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_quiet_by_default(client: Nixflex, mock: Mock) -> None:
    # A handler that takes everything, on a logger left at its default level: nothing below
    # WARNING arrives. Then the same with the logger at DEBUG, to show the handler would see it.
    logger = logging.getLogger("nixflex")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        assert logger.getEffectiveLevel() >= logging.WARNING
        mock.faults([{"status": 503}])
        client.usage.get()
        assert [r for r in handler.records if r.levelno < logging.WARNING] == []
        logger.setLevel(logging.DEBUG)
        mock.faults([{"status": 503}])
        client.usage.get()
        assert any(r.levelno == logging.DEBUG for r in handler.records)
    finally:
        logger.setLevel(logging.NOTSET)
        logger.removeHandler(handler)


def test_records_carry_structured_fields(client: Nixflex, mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="nixflex"):
        mock.faults([{"status": 503}])
        client.agents.create(name="Structured", idempotency_key=f"k-{mock.key_secret}")
    fields = [getattr(r, "nixflex", None) for r in caplog.records if r.name == "nixflex"]
    assert fields and all(isinstance(f, dict) for f in fields)
    assert all(f["operation"] == "agents.create" and f["method"] == "POST" for f in fields if f)
    attempts = {f["attempt"] for f in fields if f and "attempt" in f}
    assert attempts == {1, 2}  # an int, per attempt: the 503, then the retry
    assert all(f["idempotency_key"] == "k-nxfs_***" for f in fields if f)
