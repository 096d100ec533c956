"""``Page``: the result of a ``list(...)`` call.

The API has answered lists in two shapes (an envelope ``{"campaigns": [...], "count": N}`` and a
bare array), and the official SDK 0.2 handed back whatever came: a list for agents and calls, a
dict for SMS campaigns. A ``Page`` is a list of the items whatever the shape, and also answers
the envelope's keys (``page["campaigns"]``, ``page.get("count")``), so code that reads either
shape's items and counts keeps working (a page is still a list: ``"campaigns" in page`` and
``page.keys()`` are not a dict's).
"""

from __future__ import annotations

from typing import Any, List, Optional, SupportsIndex, TypeVar, Union, overload

__all__ = ["Page"]

T = TypeVar("T")
_D = TypeVar("_D")

_NUMBERS = ("count", "limit", "offset")


class Page(List[T]):
    """The items of one list call, whatever the wire shape, with what the server said of the
    whole list: ``count`` (the total, when known), ``limit`` and ``offset``.

    ``page["<list key>"]`` (``"agents"``, ``"calls"``, ``"campaigns"``) is the items as a plain
    list and ``page["count"]`` the total, as in the envelope; ``page.get(key, default)`` too.
    """

    count: Optional[int]  # type: ignore[assignment]  # the total, not list.count()
    limit: Optional[int]
    offset: Optional[int]
    list_key: Optional[str]

    def __init__(
        self,
        items: list[T],
        count: Optional[int] = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        list_key: Optional[str] = None,
    ) -> None:
        super().__init__(items)
        self.count = count
        self.limit = limit
        self.offset = offset
        self.list_key = list_key

    @overload
    def __getitem__(self, index: SupportsIndex) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> List[T]: ...
    @overload
    def __getitem__(self, index: str) -> Any: ...
    def __getitem__(self, index: Union[SupportsIndex, slice, str]) -> Any:
        if isinstance(index, str):
            return self._envelope(index)
        return list.__getitem__(self, index)

    def get(self, key: str, default: Union[_D, None] = None) -> Any:
        """The envelope's value for ``key`` (the items, ``count``, ``limit``, ``offset``), else
        ``default``, as ``dict.get`` on the official SDK's result."""
        try:
            return self._envelope(key)
        except KeyError:
            return default

    def _envelope(self, key: str) -> Any:
        if key == self.list_key:
            return list(self)
        if key in _NUMBERS and getattr(self, key) is not None:
            return getattr(self, key)
        known = [self.list_key] if self.list_key else []
        known += [name for name in _NUMBERS if getattr(self, name) is not None]
        raise KeyError(f"{key!r}: a page of this list has only {', '.join(repr(k) for k in known)}")

    def __reduce__(self) -> Any:
        return (Page, (list(self), self.count, self.limit, self.offset, self.list_key))

    def __repr__(self) -> str:
        return f"Page({list.__repr__(self)}, count={self.count}, limit={self.limit}, offset={self.offset})"
