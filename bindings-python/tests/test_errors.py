"""Every error class, its fields, and pickling."""

from __future__ import annotations

import pickle

import nixflex
import pytest
from conftest import Mock
from nixflex import Nixflex

STATUS_CLASSES = [
    (400, nixflex.NixflexInvalidRequestError, "invalid_request"),
    (401, nixflex.NixflexAuthenticationError, "authentication"),
    (402, nixflex.NixflexPaymentRequiredError, "payment_required"),
    (403, nixflex.NixflexPermissionDeniedError, "permission_denied"),
    (404, nixflex.NixflexNotFoundError, "not_found"),
    (409, nixflex.NixflexConflictError, "conflict"),
    (422, nixflex.NixflexInvalidRequestError, "invalid_request"),
    (429, nixflex.NixflexRateLimitError, "rate_limited"),
    (500, nixflex.NixflexServerError, "server"),
    (502, nixflex.NixflexUpstreamError, "upstream"),
    (503, nixflex.NixflexServerError, "server"),
    (418, nixflex.NixflexError, "unexpected_status"),
]


def roundtrip(err: nixflex.NixflexError) -> None:
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is type(err)
    assert copy.__dict__ == err.__dict__
    assert str(copy) == str(err)


@pytest.mark.parametrize("status,cls,kind", STATUS_CLASSES)
def test_status_maps_to_class(
    client: Nixflex, mock: Mock, status: int, cls: type[nixflex.NixflexError], kind: str
) -> None:
    body = {
        "error": {
            "type": "x_error",
            "code": f"code_{status}",
            "message": f"failed {status}",
            "doc_url": f"https://docs.nixflex.com/errors/code_{status}",
            "details": {"field": "name"},
        }
    }
    fault: dict[str, object] = {"status": status, "body": body}
    if status == 429:
        fault["retry_after"] = 7
    mock.faults([fault], operation="agents.create")
    with pytest.raises(cls) as info:
        client.agents.create(name="x", max_retries=0)
    err = info.value
    assert type(err) is cls
    assert (err.status, err.code, err.type, err.kind) == (status, f"code_{status}", "x_error", kind)
    assert err.message == f"failed {status}"
    assert err.doc_url == f"https://docs.nixflex.com/errors/code_{status}"
    assert err.details == {"field": "name"}
    assert err.request_id and err.request_id.startswith("req_")
    assert err.attempts == 1
    assert err.idempotency_key  # a mutation: the key to re-issue it with
    if status == 429:
        assert err.retry_after_seconds == 7
    roundtrip(err)


def test_real_not_found(client: Nixflex) -> None:
    with pytest.raises(nixflex.NixflexNotFoundError) as info:
        client.agents.get("agent_0000000000000000")
    assert info.value.code == "agent_not_found" and info.value.status == 404
    assert info.value.idempotency_key is None  # a read carries none
    roundtrip(info.value)


def test_validation_error_from_the_api(client: Nixflex) -> None:
    with pytest.raises(nixflex.NixflexInvalidRequestError) as info:
        client.agents.create(name="x", temperature=7.5)
    assert info.value.status == 400


def test_html_502_keeps_the_kind(client: Nixflex, mock: Mock) -> None:
    mock.faults([{"status": 502, "body": "<html><h1>502 Bad Gateway</h1></html>", "content_type": "text/html"}])
    with pytest.raises(nixflex.NixflexUpstreamError) as info:
        client.usage.get(max_retries=0)
    assert "502 Bad Gateway" in info.value.message
    assert isinstance(info.value, nixflex.NixflexServerError)


def test_connection_error(client: Nixflex, mock: Mock) -> None:
    mock.faults([{"drop": "before"}])
    with pytest.raises(nixflex.NixflexConnectionError) as info:
        client.usage.get(max_retries=0)
    assert info.value.status == 0 and info.value.kind == "connection" and info.value.attempts == 1
    roundtrip(info.value)


def test_timeout_error(client: Nixflex, mock: Mock) -> None:
    mock.faults([{"delay_ms": 2000}])
    with pytest.raises(nixflex.NixflexTimeoutError) as info:
        client.usage.get(timeout=0.2, max_retries=0)
    assert isinstance(info.value, nixflex.NixflexConnectionError)
    assert info.value.kind == "timeout"
    roundtrip(info.value)


def test_decode_error(client: Nixflex, mock: Mock) -> None:
    mock.faults([{"status": 200, "body": "<html>not json</html>", "content_type": "text/html"}])
    with pytest.raises(nixflex.NixflexDecodeError):
        client.usage.get()


def test_configuration_error_is_a_value_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NIXFLEX_API_KEY", raising=False)
    for bad in ["", "nxf_abc", "nxf_abc:secret", "abc:nxfs_secretvalue"]:
        with pytest.raises(ValueError) as info:
            Nixflex(bad)
        assert isinstance(info.value, nixflex.NixflexConfigurationError)
        assert "secretvalue" not in str(info.value)
        roundtrip(info.value)
    with pytest.raises(nixflex.NixflexConfigurationError):
        Nixflex()
    with pytest.raises(nixflex.NixflexConfigurationError):
        Nixflex("nxf_a:nxfs_b", base_url="ftp://example.com")


def test_signature_error() -> None:
    with pytest.raises(nixflex.NixflexSignatureError) as info:
        nixflex.construct_event(b"{}", None, "nxfs_secret")
    assert info.value.code == "missing_signature"
    roundtrip(info.value)


def test_errors_pickle_across_processes(client: Nixflex) -> None:
    import multiprocessing

    with pytest.raises(nixflex.NixflexNotFoundError) as info:
        client.agents.get("agent_missing")
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        echoed = pool.apply(pickle.loads, (pickle.dumps(info.value),))
    assert type(echoed) is nixflex.NixflexNotFoundError and echoed.request_id == info.value.request_id


def test_official_names_and_hierarchy() -> None:
    for name in [
        "NixflexError",
        "NixflexAuthenticationError",
        "NixflexPaymentRequiredError",
        "NixflexNotFoundError",
        "NixflexInvalidRequestError",
        "NixflexRateLimitError",
        "NixflexServerError",
        "NixflexConnectionError",
    ]:
        assert issubclass(getattr(nixflex, name), nixflex.NixflexError)
    err = nixflex.NixflexError("boom")
    assert (err.status, err.code, err.type, err.details) == (0, "unknown_error", "error", {})
