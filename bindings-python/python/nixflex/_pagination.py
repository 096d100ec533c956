"""Iterators over every item of a paginated operation (``for`` and ``async for``).

The walking itself is the core's ``Paginator``: its stop rules (the total when the server says
it, else an empty or short page), page-ahead fetching and bounded concurrency. Each page crosses
the boundary as JSON bytes that ``_json.loads`` turns into dicts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any, Generic, Optional, TypeVar

from . import _json
from ._base import ResponseMeta

if TYPE_CHECKING:
    from ._client import _Bridge
    from ._native import NativePaginator

__all__ = ["SyncPager", "AsyncPager"]

T = TypeVar("T")


class _PagerState:
    __slots__ = ("items", "index", "count", "meta", "done")

    def __init__(self) -> None:
        self.items: list[Any] = []
        self.index = 0
        self.count: Optional[int] = None
        self.meta: Optional[ResponseMeta] = None
        self.done = False

    def take(self, page: Any) -> None:
        if page is None:
            self.done = True
            return
        raw, _offset, count, meta = page
        self.items = _json.loads(raw)
        self.index = 0
        if count is not None:
            self.count = count
        self.meta = ResponseMeta._from_native(meta)


class SyncPager(Iterator[T], Generic[T]):
    """Every item of a list, fetched page by page as you iterate.

    ``count`` is the total once a page has said it (envelope lists), ``last_meta`` the metadata
    of the latest page.
    """

    def __init__(self, native: NativePaginator) -> None:
        self._native = native
        self._state = _PagerState()

    @property
    def count(self) -> Optional[int]:
        return self._state.count

    @property
    def last_meta(self) -> Optional[ResponseMeta]:
        return self._state.meta

    def __iter__(self) -> SyncPager[T]:
        return self

    def __next__(self) -> T:
        state = self._state
        while state.index >= len(state.items):
            if state.done:
                raise StopIteration
            state.take(self._native.next_page())
        item: T = state.items[state.index]
        state.index += 1
        return item


class AsyncPager(AsyncIterator[T], Generic[T]):
    """Every item of a list, fetched page by page as you ``async for`` over it."""

    def __init__(self, native: NativePaginator, bridge: _BridgeFactory) -> None:
        self._native = native
        self._bridge = bridge
        self._state = _PagerState()

    @property
    def count(self) -> Optional[int]:
        return self._state.count

    @property
    def last_meta(self) -> Optional[ResponseMeta]:
        return self._state.meta

    def __aiter__(self) -> AsyncPager[T]:
        return self

    async def __anext__(self) -> T:
        state = self._state
        while state.index >= len(state.items):
            if state.done:
                raise StopAsyncIteration
            bridge = self._bridge()
            page = await bridge.run(lambda completions: self._native.submit_next(completions))
            state.take(page)
        item: T = state.items[state.index]
        state.index += 1
        return item


if TYPE_CHECKING:
    from typing import Callable

    _BridgeFactory = Callable[[], _Bridge]
