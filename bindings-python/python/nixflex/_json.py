"""Response bodies to Python objects.

Parsing is most of what a call costs Python beyond the round trip (a 25-agent list is ~37 KB), so
bodies go through msgspec where it is installed (a dependency on CPython), about twice as fast as
the standard library and exact on integers of any size. A body msgspec refuses but ``json``
reads (``NaN``, ``1e400``) is read again by ``json``, so the result never depends on which parser
ran.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Union

__all__ = ["loads"]

_fast: Callable[[Union[bytes, str]], Any]
try:
    import msgspec

    _fast = msgspec.json.Decoder().decode
    _FAST_ERROR: type[Exception] = msgspec.MsgspecError
except ImportError:  # PyPy, or an interpreter without a wheel for it
    _fast = json.loads
    _FAST_ERROR = ValueError


def loads(raw: Union[bytes, str]) -> Any:
    """The JSON document `raw`; raises ``ValueError`` when it is not one."""
    try:
        return _fast(raw)
    except _FAST_ERROR:
        return json.loads(raw)
