"""``Nixflex`` (sync) and ``AsyncNixflex`` (asyncio): configuration, per-call options, the
asyncio bridge, and ``with_meta``.

Sync calls block in the native module without the GIL (other threads run; Ctrl-C interrupts
the call). Async calls are spawned on the native runtime and complete through one socket per
event loop, many futures per wake-up (see ``_Bridge``).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import socket
import weakref
from collections.abc import Coroutine, Mapping
from typing import TYPE_CHECKING, Any, Callable, NoReturn, Optional, TypeVar, Union, overload

from . import _native
from ._base import NOT_GIVEN, NativeOptions, NotGiven, Pairs, ResponseMeta, decode, merge, to_page
from ._pagination import AsyncPager, SyncPager
from ._resources import AsyncResources, SyncResources

if TYPE_CHECKING:
    from typing_extensions import ParamSpec

    P = ParamSpec("P")

__all__ = ["Nixflex", "AsyncNixflex", "with_meta"]

__version__: str = _native.__version__

T = TypeVar("T")

_LOGGER = logging.getLogger("nixflex")
_LOGGER.addHandler(logging.NullHandler())
_log_level: list[int] = [-1]


def _sync_log_level() -> None:
    """Tells the native module which events the ``nixflex`` logger would keep."""
    level = _LOGGER.getEffectiveLevel()
    if level != _log_level[0]:
        _native.set_log_level(level)
        _log_level[0] = level


def _client_options(
    timeout: Optional[float],
    deadline: Optional[float],
    max_retries: Optional[int],
    headers: Optional[Mapping[str, str]],
) -> Optional[NativeOptions]:
    if timeout is None and deadline is None and max_retries is None and not headers:
        return None
    for name, value in (("timeout", timeout), ("deadline", deadline)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise TypeError(f"{name} must be a number of seconds, not {type(value).__name__}")
    if max_retries is not None and (
        isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0
    ):
        raise TypeError(f"max_retries must be a non-negative int, not {max_retries!r}")
    pairs = _header_pairs(headers)
    return (
        None if timeout is None else float(timeout),
        None if deadline is None else float(deadline),
        max_retries,
        None,
        pairs,
    )


def _header_pairs(headers: Optional[Mapping[str, str]]) -> Pairs:
    pairs: Pairs = []
    for name, value in (headers or {}).items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError("headers must map str to str")
        pairs.append((name, value))
    return pairs


class _BaseClient:
    """What both clients share: the native client, options and the metadata switch."""

    _native: _native.NativeClient
    _defaults: Optional[NativeOptions]
    _with_meta: bool

    def _setup(
        self,
        api_key: Optional[str],
        base_url: Optional[str],
        timeout: Optional[float],
        max_retries: Optional[int],
        deadline: Optional[float],
        default_headers: Optional[Mapping[str, str]],
        transport: Any,
    ) -> None:
        if transport is not None:
            raise TypeError(
                "transport= (an httpx transport) is not supported: this SDK has its own transport. "
                "Point base_url at a test server instead (the bundled nixflex-mock)."
            )
        if api_key is not None and not isinstance(api_key, str):
            raise TypeError(f"api_key must be str, not {type(api_key).__name__}")
        if base_url is not None and not isinstance(base_url, str):
            raise TypeError(f"base_url must be str, not {type(base_url).__name__}")
        for name, value in (("timeout", timeout), ("deadline", deadline)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise TypeError(f"{name} must be a number of seconds, not {type(value).__name__}")
        if max_retries is not None and (
            isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0
        ):
            raise TypeError(f"max_retries must be a non-negative int, not {max_retries!r}")
        _sync_log_level()
        self._native = _native.NativeClient(
            api_key,
            base_url,
            None if timeout is None else float(timeout),
            max_retries,
            None if deadline is None else float(deadline),
            _header_pairs(default_headers),
        )
        self._defaults = None
        self._with_meta = False

    def _copy(self: _C, defaults: Optional[NativeOptions], with_meta: bool) -> _C:
        clone = object.__new__(type(self))
        clone._native = self._native
        clone._defaults = defaults
        clone._with_meta = with_meta
        return clone

    def with_options(
        self: _C,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        deadline: Optional[float] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> _C:
        """The same client (same connections) with other defaults for every call made through it:
        ``client.with_options(timeout=5, max_retries=0).agents.get(...)``. ``deadline`` bounds all
        attempts and waits of one call together."""
        options = merge(self._defaults, _client_options(timeout, deadline, max_retries, extra_headers))
        return self._copy(options, self._with_meta)

    def _meta_view(self: _C) -> _C:
        return self._copy(self._defaults, True)

    @property
    def key_id(self) -> str:
        """The public half of the API key (the secret is never exposed)."""
        return self._native.key_id

    @property
    def base_url(self) -> str:
        return self._native.base_url

    @property
    def timeout(self) -> float:
        """The per-attempt timeout, in seconds."""
        return self._native.timeout

    @property
    def max_retries(self) -> int:
        return self._native.max_retries

    @property
    def user_agent(self) -> str:
        return self._native.user_agent

    def __repr__(self) -> str:
        return f"{type(self).__name__}(key_id={self.key_id!r}, base_url={self.base_url!r})"

    def __reduce__(self) -> Any:
        raise TypeError(f"a {type(self).__name__} cannot be pickled; create one per process from the environment")


_C = TypeVar("_C", bound=_BaseClient)


def _create_key_body(name: Union[str, NotGiven], email: Union[str, NotGiven]) -> bytes:
    from ._base import body

    # Left out is not sent; None is a TypeError naming the field (the API takes no null there).
    fields = {k: v for k, v in (("name", name), ("email", email)) if v is not NOT_GIVEN}
    return body("create_key", fields, {"name": (str,), "email": (str,)}, None)


class Nixflex(_BaseClient, SyncResources):
    """The Nixflex client (blocking). Safe to share between threads.

    ``Nixflex()`` reads ``NIXFLEX_API_KEY`` (``nxf_…:nxfs_…``) and ``NIXFLEX_BASE_URL``. Use it
    as a context manager or just keep one per process: connections are pooled and reused.
    ``timeout`` is per attempt (seconds, default 30); ``max_retries`` counts retries after the
    first attempt (default 2); ``deadline`` optionally bounds all attempts of a call together.
    """

    def __init__(
        self,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        transport: Any = None,
        *,
        deadline: Optional[float] = None,
        default_headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        self._setup(api_key, base_url, timeout, max_retries, deadline, default_headers, transport)

    def __enter__(self) -> Nixflex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Kept for compatibility: connections are released with the client (no call needed)."""

    @staticmethod
    def create_key(
        name: Union[str, NotGiven] = NOT_GIVEN,
        email: Union[str, NotGiven] = NOT_GIVEN,
        *,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> dict[str, Any]:
        """Creates an API key (``POST /v1/keys``, no key needed): ``{"key_id", "key_secret", …}``.
        The base URL is ``base_url``, else ``NIXFLEX_BASE_URL``, else production."""
        from ._base import options

        opts = options(timeout, max_retries, None, None)
        raw = _native.create_key(base_url, _create_key_body(name, email), opts, False)
        result: dict[str, Any] = decode(raw)
        return result

    # The resources call these.

    def _request(self, op: str, path: Pairs, query: Pairs, body: Optional[bytes], opts: Optional[NativeOptions]) -> Any:
        _sync_log_level()
        if self._with_meta:
            raw, meta = self._native.call(op, path, query, body, merge(self._defaults, opts), True)
            return decode(raw), ResponseMeta._from_native(meta)
        return decode(self._native.call(op, path, query, body, merge(self._defaults, opts), False))

    def _list(self, op: str, list_key: str, path: Pairs, query: Pairs, opts: Optional[NativeOptions]) -> Any:
        _sync_log_level()
        if self._with_meta:
            raw, meta = self._native.call(op, path, query, None, merge(self._defaults, opts), True)
            return to_page(op, list_key, decode(raw)), ResponseMeta._from_native(meta)
        return to_page(
            op, list_key, decode(self._native.call(op, path, query, None, merge(self._defaults, opts), False))
        )

    def _iter(
        self,
        op: str,
        path: Pairs,
        query: Pairs,
        opts: Optional[NativeOptions],
        page_size: Optional[int],
        max_items: Optional[int],
    ) -> SyncPager[Any]:
        _check_walk(page_size, max_items)
        _sync_log_level()
        native = self._native.paginate(op, path, query, merge(self._defaults, opts), page_size, max_items)
        return SyncPager(native)


def _check_walk(page_size: Optional[int], max_items: Optional[int]) -> None:
    for name, value, least in (("page_size", page_size, 1), ("max_items", max_items, 0)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < least):
            raise TypeError(f"{name} must be an int >= {least}, not {value!r}")


class _Bridge:
    """Completes the asyncio futures of one event loop, many per wake-up.

    Native futures finish on the runtime's threads and queue their outcomes; the first one to
    queue writes a byte to a socket this loop watches, and the loop then drains every outcome at
    once, on its own thread. Nothing but that one byte crosses from the runtime to the loop.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.pid = os.getpid()
        self.pending: dict[int, asyncio.Future[Any]] = {}
        self._reader: Optional[socket.socket] = None
        reader, writer = socket.socketpair()
        reader.setblocking(False)
        writer.setblocking(False)
        try:
            loop.add_reader(reader.fileno(), self._on_wake)
        except NotImplementedError:  # a loop without readers (Windows' proactor)
            reader.close()
            writer.close()
            loop_ref = weakref.ref(loop)

            def wake() -> None:
                target = loop_ref()
                if target is not None and not target.is_closed():
                    target.call_soon_threadsafe(self._drain)

            self.completions = _native.Completions(wake)
        else:
            self._reader = reader
            self.completions = _native.Completions(writer.fileno())  # duplicated by the native side
            writer.close()

    def _on_wake(self) -> None:
        reader = self._reader
        if reader is not None:
            try:
                while reader.recv(4096):
                    pass
            except (BlockingIOError, InterruptedError):
                pass
        self._drain()

    def _drain(self) -> None:
        for token, ok, value in self.completions.drain():
            future = self.pending.pop(token, None)
            if future is None or future.done():
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    async def run(self, submit: Callable[[_native.Completions], int]) -> Any:
        """Starts a native future and waits for its outcome; cancelling cancels it natively."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        token = submit(self.completions)
        self.pending[token] = future
        try:
            return await future
        except asyncio.CancelledError:
            self.pending.pop(token, None)
            self.completions.cancel(token)
            raise


_bridges: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Bridge] = weakref.WeakKeyDictionary()
# The last (loop, bridge) pair, as one tuple so that threads running their own loops never read
# one loop's bridge for another's.
_last_bridge: tuple[Optional[asyncio.AbstractEventLoop], Optional[_Bridge]] = (None, None)


def _bridge() -> _Bridge:
    global _last_bridge
    loop = asyncio.get_running_loop()
    last_loop, last = _last_bridge
    if last_loop is loop and last is not None:
        return last
    bridge = _bridges.get(loop)
    if bridge is None or bridge.pid != os.getpid():
        bridge = _Bridge(loop)
        _bridges[loop] = bridge
    _last_bridge = (loop, bridge)
    return bridge


def _forget_bridges() -> None:
    # A forked child starts with no event loop of its parent's worth keeping.
    global _last_bridge
    _bridges.clear()
    _last_bridge = (None, None)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_bridges)


class AsyncNixflex(_BaseClient, AsyncResources):
    """The Nixflex client for asyncio: every method is a coroutine, ``iter()`` an async iterator.

    Configured as ``Nixflex``. One client serves any number of event loops and tasks;
    cancelling a task cancels its request.
    """

    def __init__(
        self,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        transport: Any = None,
        *,
        deadline: Optional[float] = None,
        default_headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        self._setup(api_key, base_url, timeout, max_retries, deadline, default_headers, transport)

    async def __aenter__(self) -> AsyncNixflex:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Kept for compatibility: connections are released with the client (no call needed)."""

    async def _request(
        self, op: str, path: Pairs, query: Pairs, body: Optional[bytes], opts: Optional[NativeOptions]
    ) -> Any:
        _sync_log_level()
        native, options, meta = self._native, merge(self._defaults, opts), self._with_meta
        result = await _bridge().run(lambda c: native.submit(c, op, path, query, body, options, meta))
        if meta:
            raw, raw_meta = result
            return decode(raw), ResponseMeta._from_native(raw_meta)
        return decode(result)

    async def _list(self, op: str, list_key: str, path: Pairs, query: Pairs, opts: Optional[NativeOptions]) -> Any:
        result = await self._request(op, path, query, None, opts)
        if self._with_meta:
            body, meta = result
            return to_page(op, list_key, body), meta
        return to_page(op, list_key, result)

    def _iter(
        self,
        op: str,
        path: Pairs,
        query: Pairs,
        opts: Optional[NativeOptions],
        page_size: Optional[int],
        max_items: Optional[int],
    ) -> AsyncPager[Any]:
        _check_walk(page_size, max_items)
        _sync_log_level()
        native = self._native.paginate(op, path, query, merge(self._defaults, opts), page_size, max_items)
        return AsyncPager(native, _bridge)


# An iterator has no one response to describe (each page has its own: ``pager.last_meta``), so
# wrapping ``iter`` is refused at run time, and never typed as giving a tuple.
@overload
def with_meta(method: Callable[P, SyncPager[Any]]) -> NoReturn: ...
@overload
def with_meta(method: Callable[P, AsyncPager[Any]]) -> NoReturn: ...
@overload
def with_meta(  # type: ignore[overload-overlap]
    method: Callable[P, Coroutine[Any, Any, T]],
) -> Callable[P, Coroutine[Any, Any, tuple[T, ResponseMeta]]]: ...
@overload
def with_meta(method: Callable[P, T]) -> Callable[P, tuple[T, ResponseMeta]]: ...
def with_meta(method: Callable[..., Any]) -> Callable[..., Any]:
    """Wraps a resource method so that it returns ``(result, ResponseMeta)``:

    .. code-block:: python

        agent, meta = with_meta(client.agents.create)(name="Front desk")
        print(meta.request_id, meta.attempts, meta.idempotency_key, meta.headers["x-request-id"])

    Works the same on ``AsyncNixflex`` (``await with_meta(client.agents.get)(agent_id)``).
    """
    resource = getattr(method, "__self__", None)
    function = getattr(method, "__func__", None)
    client = getattr(resource, "_client", None)
    if resource is None or function is None or not isinstance(client, _BaseClient):
        raise TypeError("with_meta() takes a method of a Nixflex resource, such as client.agents.get")
    if getattr(function, "__name__", "") == "iter":
        raise TypeError(
            "with_meta() cannot wrap an iter() method: a walk has no one response; "
            "read pager.last_meta (the latest page's metadata) while iterating instead"
        )
    return functools.partial(function, resource._with_client(client._meta_view()))
