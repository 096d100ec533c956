"""Webhook signatures: the golden vector, the official never-raising check, the strict one."""

from __future__ import annotations

import nixflex
import pytest
from nixflex import construct_event, sign, verify_webhook_signature
from nixflex.webhook import verify_webhook_signature as official_path

SECRET = "nxfs_testsecret_0123456789abcdef"
BODY = b'{"event":"call.completed","call_id":"CA123"}'
T = 1755300000
GOLDEN = "8244940dd2d19c8d603cfd55b40de1cd94b98de4aca1f56b98cdd5f44ea98031"
HEADER = f"t={T},v1={GOLDEN}"


def test_golden_vector() -> None:
    assert nixflex.compute_signature(BODY, SECRET, T) == GOLDEN
    assert sign(BODY, SECRET, T) == HEADER
    assert verify_webhook_signature(BODY, HEADER, SECRET, now=T)
    assert verify_webhook_signature(BODY.decode(), HEADER, SECRET, now=T)
    assert official_path(BODY, HEADER, SECRET, 300, T)
    assert nixflex.Nixflex.webhooks is not None
    assert construct_event(BODY, HEADER, SECRET, now=T) == {"event": "call.completed", "call_id": "CA123"}


def test_tolerance_both_ways() -> None:
    for now, ok in [(T + 299, True), (T + 300, True), (T + 301, False), (T - 301, False), (T + 10000, False)]:
        assert verify_webhook_signature(BODY, HEADER, SECRET, now=now) is ok
    assert verify_webhook_signature(BODY, HEADER, SECRET, tolerance_seconds=20000, now=T + 10000)


def test_never_raises() -> None:
    for body, header, secret in [
        (BODY, "garbage", SECRET),
        (BODY, None, SECRET),
        (BODY, HEADER, ""),
        (None, HEADER, SECRET),
        (b'{"call_id":"CA124"}', HEADER, SECRET),
        (BODY, HEADER, "nxfs_other"),
        (BODY, f"t=abc,v1={GOLDEN}", SECRET),
        (BODY, 123, SECRET),
        (BODY, HEADER, None),
    ]:
        assert verify_webhook_signature(body, header, secret, now=T) is False  # type: ignore[arg-type]


def test_strict_codes_and_rotation() -> None:
    def code(body: bytes, header: str | None, secret: str = SECRET) -> str:
        with pytest.raises(nixflex.NixflexSignatureError) as info:
            construct_event(body, header, secret, now=T)
        return info.value.code

    assert code(BODY, None) == "missing_signature"
    assert code(BODY, "t=1") == "malformed_signature"
    assert code(b'{"call_id":"x"}', HEADER) == "signature_mismatch"
    with pytest.raises(nixflex.NixflexSignatureError) as info:
        construct_event(BODY, HEADER, SECRET, now=T + 1000)
    assert info.value.code == "timestamp_out_of_tolerance"
    assert construct_event(BODY, HEADER, ["nxfs_old_secret", SECRET], now=T)["call_id"] == "CA123"
    assert code(b"[1]", sign(b"[1]", SECRET, T)) == "invalid_payload"
