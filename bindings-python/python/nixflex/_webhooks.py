"""Webhook signatures: ``X-Nixflex-Signature: t=<unix seconds>,v1=<hex>``, an HMAC-SHA256 over
``"<t>.<raw body>"`` keyed with the key secret (``nxfs_…``). The checks are the core's
(constant-time, several ``v1`` values accepted, a 300 s tolerance either way).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Dict, Optional, Union

from . import _native

__all__ = ["verify_webhook_signature", "construct_event", "sign", "compute_signature", "DEFAULT_TOLERANCE_SECONDS"]

DEFAULT_TOLERANCE_SECONDS = 300


def _bytes(raw_body: Union[bytes, bytearray, memoryview, str]) -> bytes:
    if isinstance(raw_body, str):
        return raw_body.encode("utf-8")
    return bytes(raw_body)


def verify_webhook_signature(
    raw_body: Union[bytes, str, None],
    signature_header: Optional[str],
    key_secret: Optional[str],
    tolerance_seconds: float = DEFAULT_TOLERANCE_SECONDS,
    now: Optional[float] = None,
) -> bool:
    """The official check: ``True`` only when ``signature_header`` signs ``raw_body`` (the
    exact bytes received) with ``key_secret`` within ``tolerance_seconds`` of ``now`` (unix
    seconds, default the clock). Never raises: anything malformed is ``False``."""
    try:
        if raw_body is None or not signature_header or not key_secret:
            return False
        if not isinstance(signature_header, str) or not isinstance(key_secret, str):
            return False
        return _native.verify_webhook_signature(
            _bytes(raw_body), signature_header, key_secret, float(tolerance_seconds), None if now is None else int(now)
        )
    except Exception:
        return False


def construct_event(
    raw_body: Union[bytes, str],
    signature_header: Optional[str],
    key_secret: Union[str, Sequence[str]],
    tolerance_seconds: float = DEFAULT_TOLERANCE_SECONDS,
    now: Optional[float] = None,
) -> Dict[str, Any]:
    """The strict check: the parsed event when the delivery is authentic, else
    ``NixflexSignatureError`` whose ``code`` names the problem (``missing_signature``,
    ``malformed_signature``, ``timestamp_out_of_tolerance``, ``signature_mismatch``,
    ``invalid_payload``). ``key_secret`` may be several secrets (during a key rotation)."""
    secrets = [key_secret] if isinstance(key_secret, str) else list(key_secret)
    if not secrets or not all(isinstance(s, str) and s for s in secrets):
        raise TypeError("key_secret must be a non-empty str or a sequence of them")
    raw = _native.construct_event(
        _bytes(raw_body), signature_header, secrets, float(tolerance_seconds), None if now is None else int(now)
    )
    event: Dict[str, Any] = json.loads(raw)
    return event


def sign(raw_body: Union[bytes, str], key_secret: str, timestamp: Optional[int] = None) -> str:
    """The ``X-Nixflex-Signature`` value Nixflex would send for ``raw_body``: for tests."""
    import time

    return _native.sign(_bytes(raw_body), key_secret, int(time.time()) if timestamp is None else int(timestamp))


def compute_signature(raw_body: Union[bytes, str], key_secret: str, timestamp: int) -> str:
    """The hex ``v1`` signature of ``raw_body`` at ``timestamp``."""
    return _native.compute_signature(_bytes(raw_body), key_secret, int(timestamp))
