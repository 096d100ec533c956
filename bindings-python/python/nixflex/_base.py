"""What every resource method is built from: argument checks, options, pages, metadata.

Resource classes (generated in ``_resources.py``, hand-written in ``_compat.py``) turn keyword
arguments into an operation id, path and query pairs and a JSON body, and call
``self._request``. The client behind them (``_client.py``) sends that through the native core,
which owns every HTTP behaviour (retries, idempotency, pagination, encoding).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, List, Optional, Tuple, TypeVar

from . import _json
from ._errors import NixflexDecodeError
from ._page import Page

if TYPE_CHECKING:
    from ._client import AsyncNixflex, Nixflex
    from ._pagination import AsyncPager, SyncPager

__all__ = ["NOT_GIVEN", "NotGiven", "Page", "ResponseMeta"]

T = TypeVar("T")

# The options tuple the native module takes: (timeout, deadline, max_retries,
# idempotency_key, headers).
NativeOptions = Tuple[Optional[float], Optional[float], Optional[int], Optional[str], List[Tuple[str, str]]]
Pairs = List[Tuple[str, str]]


class NotGiven:
    """The default of arguments where ``None`` means something (JSON ``null``: clear the value)."""

    _instance: Optional[NotGiven] = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()


class ResponseMeta:
    """What came with a result: the final attempt's status and headers (lowercase names), the
    ``x-request-id``, how many attempts the call took and the idempotency key it carried."""

    __slots__ = ("status", "headers", "request_id", "attempts", "idempotency_key")

    def __init__(
        self,
        status: int,
        headers: dict[str, str],
        request_id: Optional[str],
        attempts: int,
        idempotency_key: Optional[str],
    ) -> None:
        self.status = status
        self.headers = headers
        self.request_id = request_id
        self.attempts = attempts
        self.idempotency_key = idempotency_key

    @classmethod
    def _from_native(cls, raw: tuple[int, list[tuple[str, str]], Optional[str], int, Optional[str]]) -> ResponseMeta:
        status, pairs, request_id, attempts, key = raw
        headers: dict[str, str] = {}
        for name, value in pairs:
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        return cls(status, headers, request_id, attempts, key)

    def __repr__(self) -> str:
        return (
            f"ResponseMeta(status={self.status}, request_id={self.request_id!r}, "
            f"attempts={self.attempts}, idempotency_key={self.idempotency_key!r})"
        )


def decode(raw: bytes) -> Any:
    """A response body as Python objects (``None`` for an empty body)."""
    if not raw:
        return None
    try:
        return _json.loads(raw)
    except ValueError as exc:
        excerpt = raw[:200].decode("utf-8", "replace")
        raise NixflexDecodeError(f"the response is not JSON ({exc}): {excerpt}") from None


def to_page(op: str, list_key: str, body: Any) -> Page[Any]:
    """Reads a list body in either shape."""
    if isinstance(body, list):
        return Page(body, list_key=list_key)
    if isinstance(body, dict):
        items = body.get(list_key)
        if isinstance(items, list):

            def number(key: str) -> Optional[int]:
                value = body.get(key)
                return value if isinstance(value, int) and not isinstance(value, bool) else None

            return Page(items, number("count"), number("limit"), number("offset"), list_key)
    raise NixflexDecodeError(f"{op}: the list is neither an array nor an object with {list_key!r}")


def _type_names(types: tuple[type, ...]) -> str:
    names = ["None" if t is type(None) else t.__name__ for t in types]
    return " or ".join(names)


def check(method: str, name: str, value: Any, types: tuple[type, ...]) -> None:
    """Raises a clear TypeError when ``value`` is not of ``types`` (``bool`` is no number)."""
    if value is None and type(None) not in types:
        raise TypeError(
            f"{method}() argument {name!r} must be {_type_names(types)}, not None: the API takes no null "
            f"for {name!r}; leave the argument out to send nothing"
        )
    if isinstance(value, bool) and bool not in types:
        raise TypeError(f"{method}() argument {name!r} must be {_type_names(types)}, not bool")
    if not isinstance(value, types):
        raise TypeError(f"{method}() argument {name!r} must be {_type_names(types)}, not {type(value).__name__}")


def path(method: str, name: str, value: Any) -> str:
    """A path parameter: a non-empty string (the core percent-encodes it)."""
    if not isinstance(value, str):
        raise TypeError(f"{method}() argument {name!r} must be str, not {type(value).__name__}")
    if not value:
        raise ValueError(f"{method}() argument {name!r} must not be empty")
    return value


def query(method: str, pairs: tuple[tuple[str, Any, tuple[type, ...]], ...]) -> Pairs:
    """Query pairs without the ``None`` values; booleans as ``true``/``false``."""
    out: Pairs = []
    for name, value, types in pairs:
        if value is None:
            continue
        check(method, name, value, types)
        if isinstance(value, bool):
            out.append((name, "true" if value else "false"))
        else:
            out.append((name, str(value)))
    return out


def body(
    method: str, fields: dict[str, Any], types: Mapping[str, tuple[type, ...]], extra_body: Optional[Mapping[str, Any]]
) -> bytes:
    """The JSON body: the fields given, checked, plus ``extra_body`` (fields this SDK does not
    name yet; a name given both ways is an error, so nothing is silently replaced)."""
    for name, value in fields.items():
        expected = types.get(name)
        if expected is not None:
            check(method, name, value, expected)
    if extra_body:
        if not isinstance(extra_body, Mapping):
            raise TypeError(f"{method}() argument 'extra_body' must be a mapping, not {type(extra_body).__name__}")
        for name, value in extra_body.items():
            if not isinstance(name, str):
                raise TypeError(f"{method}() extra_body keys must be str, not {type(name).__name__}")
            if name in fields:
                raise TypeError(f"{method}() got {name!r} both as an argument and in extra_body")
            fields[name] = value
    try:
        return json.dumps(fields, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{method}(): the request body cannot be sent as JSON: {exc}") from None


def options(
    timeout: Optional[float],
    max_retries: Optional[int],
    idempotency_key: Optional[str],
    extra_headers: Optional[Mapping[str, str]],
) -> Optional[NativeOptions]:
    """Per-call options, or ``None`` when the call changes nothing (the common, fast case)."""
    if timeout is None and max_retries is None and idempotency_key is None and not extra_headers:
        return None
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))):
        raise TypeError(f"timeout must be a number of seconds, not {type(timeout).__name__}")
    if max_retries is not None and (
        isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0
    ):
        raise TypeError(f"max_retries must be a non-negative int, not {max_retries!r}")
    if idempotency_key is not None and not isinstance(idempotency_key, str):
        raise TypeError(f"idempotency_key must be str, not {type(idempotency_key).__name__}")
    headers: Pairs = []
    if extra_headers:
        for name, value in extra_headers.items():
            if not isinstance(name, str) or not isinstance(value, str):
                raise TypeError("extra_headers must map str to str")
            headers.append((name, value))
    return (None if timeout is None else float(timeout), None, max_retries, idempotency_key, headers)


def merge(defaults: Optional[NativeOptions], call: Optional[NativeOptions]) -> Optional[NativeOptions]:
    """Per-call options over the client's ``with_options`` defaults."""
    if defaults is None:
        return call
    if call is None:
        return defaults
    d_timeout, d_deadline, d_retries, _, d_headers = defaults
    timeout, deadline, retries, key, headers = call
    return (
        d_timeout if timeout is None else timeout,
        d_deadline if deadline is None else deadline,
        d_retries if retries is None else retries,
        key,
        d_headers + headers,
    )


_R = TypeVar("_R", bound="SyncResource")
_A = TypeVar("_A", bound="AsyncResource")


class SyncResource:
    """Base of the resources of ``Nixflex``."""

    def __init__(self, client: Nixflex) -> None:
        self._client = client

    def _request(
        self,
        op: str,
        path: Optional[Pairs],
        query: Optional[Pairs],
        body: Optional[bytes],
        opts: Optional[NativeOptions],
    ) -> Any:
        return self._client._request(op, path or [], query or [], body, opts)

    def _list(
        self, op: str, list_key: str, path: Optional[Pairs], query: Optional[Pairs], opts: Optional[NativeOptions]
    ) -> Any:
        return self._client._list(op, list_key, path or [], query or [], opts)

    def _iter(
        self,
        op: str,
        path: Optional[Pairs],
        query: Optional[Pairs],
        opts: Optional[NativeOptions],
        page_size: Optional[int],
        max_items: Optional[int],
    ) -> SyncPager[Any]:
        return self._client._iter(op, path or [], query or [], opts, page_size, max_items)

    def _with_client(self: _R, client: Nixflex) -> _R:
        return type(self)(client)


class AsyncResource:
    """Base of the resources of ``AsyncNixflex``."""

    def __init__(self, client: AsyncNixflex) -> None:
        self._client = client

    async def _request(
        self,
        op: str,
        path: Optional[Pairs],
        query: Optional[Pairs],
        body: Optional[bytes],
        opts: Optional[NativeOptions],
    ) -> Any:
        return await self._client._request(op, path or [], query or [], body, opts)

    async def _list(
        self, op: str, list_key: str, path: Optional[Pairs], query: Optional[Pairs], opts: Optional[NativeOptions]
    ) -> Any:
        return await self._client._list(op, list_key, path or [], query or [], opts)

    def _iter(
        self,
        op: str,
        path: Optional[Pairs],
        query: Optional[Pairs],
        opts: Optional[NativeOptions],
        page_size: Optional[int],
        max_items: Optional[int],
    ) -> AsyncPager[Any]:
        return self._client._iter(op, path or [], query or [], opts, page_size, max_items)

    def _with_client(self: _A, client: AsyncNixflex) -> _A:
        return type(self)(client)
