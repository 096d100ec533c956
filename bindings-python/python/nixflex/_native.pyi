# Stubs of the native module (src/*.rs). Private: the public API is the `nixflex` package.
from typing import Any, Callable, Optional, Union

_Pairs = list[tuple[str, str]]
_Options = Optional[tuple[Optional[float], Optional[float], Optional[int], Optional[str], _Pairs]]
_Meta = tuple[int, list[tuple[str, str]], Optional[str], int, Optional[str]]
_Page = Optional[tuple[bytes, int, Optional[int], _Meta]]

__version__: str
CORE_VERSION: str

class NativeClient:
    def __init__(
        self,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        deadline: Optional[float] = None,
        default_headers: _Pairs = ...,
    ) -> None: ...
    @property
    def key_id(self) -> str: ...
    @property
    def base_url(self) -> str: ...
    @property
    def timeout(self) -> float: ...
    @property
    def max_retries(self) -> int: ...
    @property
    def user_agent(self) -> str: ...
    def call(
        self, op_id: str, path: _Pairs, query: _Pairs, body: Optional[bytes], options: _Options, with_meta: bool
    ) -> Any: ...
    def submit(
        self,
        completions: Completions,
        op_id: str,
        path: _Pairs,
        query: _Pairs,
        body: Optional[bytes],
        options: _Options,
        with_meta: bool,
    ) -> int: ...
    def paginate(
        self,
        op_id: str,
        path: _Pairs,
        query: _Pairs,
        options: _Options,
        page_size: Optional[int] = None,
        max_items: Optional[int] = None,
        concurrency: Optional[int] = None,
    ) -> NativePaginator: ...

class NativePaginator:
    def next_page(self) -> _Page: ...
    def submit_next(self, completions: Completions) -> int: ...

class Completions:
    def __init__(self, wake: Union[int, Callable[[], None]]) -> None: ...
    def drain(self) -> list[tuple[int, bool, Any]]: ...
    def cancel(self, token: int) -> None: ...
    def pending(self) -> int: ...

def create_key(base_url: Optional[str], body: Optional[bytes], options: _Options, with_meta: bool) -> Any: ...
def operation_ids() -> list[str]: ...
def set_log_level(level: int) -> None: ...
def runtime_generation() -> int: ...
def verify_webhook_signature(
    raw_body: bytes, header: str, secret: str, tolerance_seconds: float, now: Optional[int] = None
) -> bool: ...
def construct_event(
    raw_body: bytes, header: Optional[str], secrets: list[str], tolerance_seconds: float, now: Optional[int] = None
) -> bytes: ...
def sign(raw_body: bytes, secret: str, timestamp: int) -> str: ...
def compute_signature(raw_body: bytes, secret: str, timestamp: int) -> str: ...
