"""The official Nixflex API client: AI phone agents, calls, campaigns, numbers, SMS.

.. code-block:: python

    from nixflex import Nixflex

    client = Nixflex()  # NIXFLEX_API_KEY=nxf_…:nxfs_…, optional NIXFLEX_BASE_URL
    agent = client.agents.create(name="Front desk")
    for call in client.calls.iter(max_items=100):
        print(call["call_id"])

Results are plain dicts (typed as ``TypedDict``s in ``nixflex.types``). Every mutation carries
an idempotency key, the same on each retry; failures raise the classes of ``nixflex.errors``.
"""

from ._base import NOT_GIVEN, NotGiven, Page, ResponseMeta
from ._client import AsyncNixflex, Nixflex, __version__, with_meta
from ._errors import (
    NixflexAuthenticationError,
    NixflexConfigurationError,
    NixflexConflictError,
    NixflexConnectionError,
    NixflexDecodeError,
    NixflexError,
    NixflexInternalError,
    NixflexInvalidRequestError,
    NixflexNotFoundError,
    NixflexPaymentRequiredError,
    NixflexPermissionDeniedError,
    NixflexRateLimitError,
    NixflexServerError,
    NixflexSignatureError,
    NixflexTimeoutError,
    NixflexUpstreamError,
    NixflexUsageError,
)
from ._pagination import AsyncPager, SyncPager
from ._webhooks import compute_signature, construct_event, sign, verify_webhook_signature

__all__ = [
    "Nixflex",
    "AsyncNixflex",
    "verify_webhook_signature",
    "construct_event",
    "sign",
    "compute_signature",
    "with_meta",
    "ResponseMeta",
    "Page",
    "SyncPager",
    "AsyncPager",
    "NOT_GIVEN",
    "NotGiven",
    "__version__",
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
    "NixflexInternalError",
    "NixflexUsageError",
]
