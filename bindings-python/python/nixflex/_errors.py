"""The exceptions of the SDK: one class per HTTP status family, every field the API sent.

Classes are chosen by HTTP status (never by the body's ``type`` string, which the API spells
several ways). They are plain Python: picklable, so they cross ``multiprocessing`` and
``concurrent.futures`` process pools intact.

.. code-block:: text

    NixflexError
    ├── NixflexAuthenticationError      401
    ├── NixflexPaymentRequiredError     402
    ├── NixflexPermissionDeniedError    403
    ├── NixflexNotFoundError            404
    ├── NixflexConflictError            409
    ├── NixflexInvalidRequestError      400, 422
    ├── NixflexRateLimitError           429  (retry_after_seconds)
    ├── NixflexServerError              5xx
    │   └── NixflexUpstreamError        502
    ├── NixflexConnectionError          no response (status 0)
    │   └── NixflexTimeoutError         an attempt or the deadline timed out
    ├── NixflexDecodeError              a 2xx body that is not the JSON expected
    ├── NixflexConfigurationError       bad key or option (also a ValueError)
    ├── NixflexSignatureError           a webhook signature check failed (also a ValueError)
    ├── NixflexUsageError               a call the SDK cannot serve where it was made (also a
    │                                   RuntimeError): an iterator after fork, a blocking call
    │                                   inside a tokio runtime
    └── NixflexInternalError            a bug in the SDK
"""

from __future__ import annotations

import json
from typing import Any, Optional

__all__ = [
    "NixflexError",
    "NixflexAuthenticationError",
    "NixflexPaymentRequiredError",
    "NixflexPermissionDeniedError",
    "NixflexNotFoundError",
    "NixflexConflictError",
    "NixflexInvalidRequestError",
    "NixflexRateLimitError",
    "NixflexServerError",
    "NixflexUpstreamError",
    "NixflexConnectionError",
    "NixflexTimeoutError",
    "NixflexDecodeError",
    "NixflexConfigurationError",
    "NixflexSignatureError",
    "NixflexUsageError",
    "NixflexInternalError",
]


class NixflexError(Exception):
    """Any error of the Nixflex API or of the SDK.

    Attributes:
        message: a human-readable message (the API's own when it sent one); also ``str(e)``.
        status: the HTTP status, ``0`` when no response arrived.
        code: the API's machine-readable code (``agent_not_found``); ``"unknown_error"`` when
            the server sent none (as the official SDK; ``kind`` says what happened).
        type: the API's ``type`` string as sent (informational), else ``"error"``.
        doc_url: the documentation page of the code, when the API sent one.
        details: the API's ``details`` object (``{}`` when absent).
        request_id: the ``x-request-id`` of the last response: what support asks for.
        retry_after_seconds: the wait the server asked for, when it asked.
        idempotency_key: the key every attempt carried (mutations): pass it back as
            ``idempotency_key=`` to re-issue the call safely.
        attempts: how many attempts were made (0 when none reached the network).
        kind: the stable kind name shared by every Nixflex SDK (``not_found``, ``rate_limited``…).
    """

    def __init__(
        self,
        message: str = "",
        *,
        status: int = 0,
        code: Optional[str] = None,
        type: Optional[str] = None,
        doc_url: Optional[str] = None,
        details: Optional[dict[str, Any]] = None,
        request_id: Optional[str] = None,
        retry_after_seconds: Optional[float] = None,
        idempotency_key: Optional[str] = None,
        attempts: int = 0,
        kind: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code if code is not None else "unknown_error"
        self.type = type if type is not None else "error"
        self.doc_url = doc_url
        self.details: dict[str, Any] = details if details is not None else {}
        self.request_id = request_id
        self.retry_after_seconds = retry_after_seconds
        self.idempotency_key = idempotency_key
        self.attempts = attempts
        self.kind = kind if kind is not None else _KIND_OF.get(self.__class__.__name__, "unexpected_status")

    # Pickling: BaseException pickles (class, args, __dict__), and args is (message,), so every
    # attribute comes back through __dict__. Nothing else is needed.

    def __str__(self) -> str:
        parts = [self.message]
        if self.status:
            parts.append(f"(HTTP {self.status}, {self.code})")
        if self.request_id:
            parts.append(f"[request {self.request_id}]")
        return " ".join(p for p in parts if p)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, status={self.status}, "
            f"code={self.code!r}, request_id={self.request_id!r})"
        )


class NixflexAuthenticationError(NixflexError):
    """401: the key is missing, malformed, revoked or rotated."""


class NixflexPaymentRequiredError(NixflexError):
    """402: out of credit."""


class NixflexPermissionDeniedError(NixflexError):
    """403: authenticated, but not allowed."""


class NixflexNotFoundError(NixflexError):
    """404: not found, or not yours."""


class NixflexConflictError(NixflexError):
    """409: conflicts with the current state (a number already imported…)."""


class NixflexInvalidRequestError(NixflexError):
    """400 or 422: malformed, or failed validation (``details`` says which field)."""


class NixflexRateLimitError(NixflexError):
    """429: rate limited. ``retry_after_seconds`` is the server's wait when it sent one."""


class NixflexServerError(NixflexError):
    """5xx: the API failed."""


class NixflexUpstreamError(NixflexServerError):
    """502: a provider behind the API (carrier, speech, AI) failed."""


class NixflexConnectionError(NixflexError):
    """No response: the connection failed or broke (``status`` is 0)."""


class NixflexTimeoutError(NixflexConnectionError):
    """An attempt, or the whole call's deadline, timed out."""


class NixflexDecodeError(NixflexError):
    """A success response whose body is not the JSON expected."""


class NixflexConfigurationError(NixflexError, ValueError):
    """The client was configured wrongly (a malformed key, a bad option)."""


class NixflexSignatureError(NixflexError, ValueError):
    """A webhook delivery failed its signature check; ``code`` names the problem
    (``missing_signature``, ``malformed_signature``, ``timestamp_out_of_tolerance``,
    ``signature_mismatch``, ``invalid_payload``)."""


class NixflexUsageError(NixflexError, RuntimeError):
    """The SDK was used where it cannot serve the call: an ``iter()`` started before
    ``os.fork()`` and continued in the child, or a blocking ``Nixflex`` call made on a thread
    that runs a tokio runtime. The message says what to do instead; nothing was sent."""


class NixflexInternalError(NixflexError):
    """A bug or an unexpected failure inside the SDK."""


_CLASS_OF: dict[str, type[NixflexError]] = {
    "invalid_request": NixflexInvalidRequestError,
    "authentication": NixflexAuthenticationError,
    "payment_required": NixflexPaymentRequiredError,
    "permission_denied": NixflexPermissionDeniedError,
    "not_found": NixflexNotFoundError,
    "conflict": NixflexConflictError,
    "rate_limited": NixflexRateLimitError,
    "server": NixflexServerError,
    "upstream": NixflexUpstreamError,
    "unexpected_status": NixflexError,
    "connection": NixflexConnectionError,
    "timeout": NixflexTimeoutError,
    "decode": NixflexDecodeError,
    "configuration": NixflexConfigurationError,
    "signature": NixflexSignatureError,
    "usage": NixflexUsageError,
    "internal": NixflexInternalError,
}

_KIND_OF: dict[str, str] = {cls.__name__: kind for kind, cls in _CLASS_OF.items() if cls is not NixflexError}


def _from_native(
    kind: str,
    message: str,
    status: Optional[int],
    code: Optional[str],
    error_type: Optional[str],
    doc_url: Optional[str],
    details_json: Optional[str],
    request_id: Optional[str],
    retry_after: Optional[float],
    idempotency_key: Optional[str],
    attempts: int,
) -> NixflexError:
    """Builds the exception for a core error (called by the native module)."""
    cls = _CLASS_OF.get(kind, NixflexError)
    details: Optional[dict[str, Any]] = None
    if details_json is not None:
        parsed = json.loads(details_json)
        details = parsed if isinstance(parsed, dict) else {"value": parsed}
    return cls(
        message,
        status=status or 0,
        code=code,
        type=error_type,
        doc_url=doc_url,
        details=details,
        request_id=request_id,
        retry_after_seconds=retry_after,
        idempotency_key=idempotency_key,
        attempts=attempts,
        kind=kind,
    )
