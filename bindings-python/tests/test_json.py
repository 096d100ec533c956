"""Bodies parse to the same objects whichever parser runs (a pure function: no server needed)."""

from __future__ import annotations

import json

import pytest
from nixflex import _json


@pytest.mark.parametrize(
    "raw",
    [
        b'{"agents": [{"name": "Ada", "n": 1, "x": 1.5, "ok": true, "none": null}], "count": 1}',
        b"[]",
        b'{"text": "caf\\u00e9 \\ud83d\\udcde"}',
        b'{"big": 123456789012345678901234567890, "small": -9223372036854775809}',
        b"[1e308, -0.0, 0.1, 1.23456e-05, 1.7976931348623157e308]",
        b'{"a": 1, "a": 2}',
        b'{"nan": NaN, "inf": 1e400}',  # not JSON, but what the standard library reads
    ],
)
def test_the_same_objects_as_the_standard_library(raw: bytes) -> None:
    assert repr(_json.loads(raw)) == repr(json.loads(raw))


def test_not_json_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        _json.loads(b"<html>502</html>")
