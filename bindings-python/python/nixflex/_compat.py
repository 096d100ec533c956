"""Methods whose call shape is the official SDK's rather than the spec's.

Code written for the official Python SDK 0.2 keeps working, minus its bugs:

- ``calls.create(agent_id, to_number, prompt, from_number=None, variables=None)``: the official
  ``variables`` is sent as the API's ``dynamic_vars`` (either name works; both, differing, is an
  error).
- ``campaigns.create(agent_id, from_number, prompt, recipients)`` and
  ``sms.send(agent_id, from_number, to, message)``: the official positional order.
- ``sms.campaigns.create(agent_id, from_number, message, recipients, name=..., schedule_type=...)``:
  the official ``message`` is the API's ``message_template``; ``schedule_type`` defaults to
  ``"schedule"`` when ``scheduled_at`` is given, else ``"now"``.
- ``phone_numbers.import_(phone_number, agent_id, twilio_account_sid=..., twilio_auth_token=...)``:
  the official docs' names are accepted for ``twilio_sid`` / ``twilio_token``.
- ``webhooks.set(phone_number, url, slot=1)`` / ``get`` / ``delete``: slot 2 is the second
  destination (``integrations.webhook2``); ``webhooks.verify`` is the signature check.

As in the official SDK, the methods with a body (all but ``webhooks``) send any other keyword
argument in the body as given
(``campaigns.create(..., metadata={...})``; the API accepts fields it does not name). The
official positional arguments that default to ``None`` (``from_number``, ``variables``) mean
"not given" when ``None``, as they did there; every keyword-only field defaults to ``NOT_GIVEN``
and ``None`` for it is a TypeError naming it (the API takes no null there): nothing a caller
passes is silently dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Dict, Literal, Optional, Tuple, Union, cast, overload

from . import _base as b
from ._base import NOT_GIVEN, AsyncResource, NativeOptions, NotGiven, Pairs, SyncResource
from ._webhooks import verify_webhook_signature

if TYPE_CHECKING:
    from ._types import (
        BatchCampaignCreateResult,
        IntegrationDeleteResult,
        IntegrationSetResult,
        OutboundCallResult,
        PhoneNumberResponse,
        SmsCampaign,
        SmsSendResult,
        Webhook2State,
        WebhookState,
    )

Request = Tuple[str, Optional[Pairs], Optional[bytes], Optional[NativeOptions]]


def _types(op: str) -> Dict[str, Any]:
    from . import _resources  # loaded by then; the tables are generated from the spec

    table: Dict[str, Any] = getattr(_resources, "_T_" + op.replace(".", "_").upper())
    return table


def _official(value: Any) -> Any:
    """An official positional argument whose default was ``None``: ``None`` there meant "not
    given" in the official SDK, and still does."""
    return NOT_GIVEN if value is None else value


def _pick(method: str, official: str, official_value: Any, api: str, api_value: Any) -> Any:
    """One value from an official alias and the API's name; both, differing, is an error."""
    if official_value is not NOT_GIVEN and api_value is not NOT_GIVEN and official_value != api_value:
        raise TypeError(f"{method}() got both {official!r} and {api!r}; they are the same field ({api!r}), pass one")
    return api_value if api_value is not NOT_GIVEN else official_value


def _require(method: str, **values: Any) -> None:
    for name, value in values.items():
        if value is None:
            raise TypeError(f"{method}() missing required argument: {name!r}")


def _fields(extra: Mapping[str, Any], **values: Any) -> Dict[str, Any]:
    """The body: every field given (``None`` included, for the type check to name it), then the
    caller's other keyword arguments as they came."""
    fields = {k: v for k, v in values.items() if v is not NOT_GIVEN}
    fields.update(extra)
    return fields


def _calls_create(
    agent_id: str,
    to_number: Optional[str],
    prompt: Optional[str],
    from_number: Optional[str],
    variables: Optional[Mapping[str, str]],
    dynamic_vars: Any,
    campaign_id: Any,
    extra_body: Optional[Mapping[str, Any]],
    extra: Mapping[str, Any],
) -> bytes:
    method = "calls.create"
    _require(method, to_number=to_number, prompt=prompt)
    fields = _fields(
        extra,
        agent_id=agent_id,
        to_number=to_number,
        prompt=prompt,
        dynamic_vars=_pick(method, "variables", _official(variables), "dynamic_vars", dynamic_vars),
        from_number=_official(from_number),
        campaign_id=campaign_id,
    )
    return b.body(method, fields, _types("calls.create"), extra_body)


def _campaigns_create(
    agent_id: str,
    from_number: Optional[str],
    prompt: Optional[str],
    recipients: Optional[Sequence[Mapping[str, Any]]],
    named: Dict[str, Any],
    extra_body: Optional[Mapping[str, Any]],
    extra: Mapping[str, Any],
) -> bytes:
    method = "campaigns.create"
    _require(method, prompt=prompt, recipients=recipients)
    fields = _fields(
        extra, agent_id=agent_id, prompt=prompt, recipients=recipients, from_number=_official(from_number), **named
    )
    return b.body(method, fields, _types("campaigns.create"), extra_body)


def _sms_send(
    agent_id: str,
    from_number: Optional[str],
    to: Optional[str],
    message: Optional[str],
    context: Any,
    extra_body: Optional[Mapping[str, Any]],
    extra: Mapping[str, Any],
) -> bytes:
    method = "sms.send"
    _require(method, to=to, message=message)
    fields = _fields(
        extra, agent_id=agent_id, to=to, message=message, from_number=_official(from_number), context=context
    )
    return b.body(method, fields, _types("sms.send"), extra_body)


def _sms_campaigns_create(
    agent_id: str,
    from_number: str,
    message_template: Optional[str],
    recipients: Optional[Sequence[Mapping[str, Any]]],
    name: Any,
    schedule_type: Any,
    scheduled_at: Any,
    message: Any,
    extra_body: Optional[Mapping[str, Any]],
    extra: Mapping[str, Any],
) -> bytes:
    method = "sms.campaigns.create"
    template = _pick(method, "message", message, "message_template", _official(message_template))
    _require(method, message_template=None if template is NOT_GIVEN else template, recipients=recipients)
    if schedule_type is NOT_GIVEN:
        schedule_type = "schedule" if scheduled_at is not NOT_GIVEN else "now"
    fields = _fields(
        extra,
        agent_id=agent_id,
        from_number=from_number,
        name=name,
        message_template=template,
        recipients=recipients,
        schedule_type=schedule_type,
        scheduled_at=scheduled_at,
    )
    return b.body(method, fields, _types("sms.campaigns.create"), extra_body)


def _phone_numbers_import(
    phone_number: str,
    agent_id: str,
    credentials: Dict[str, Any],
    twilio_account_sid: Any,
    twilio_auth_token: Any,
    extra_body: Optional[Mapping[str, Any]],
    extra: Mapping[str, Any],
) -> bytes:
    method = "phone_numbers.import_"
    twilio_sid = _pick(method, "twilio_account_sid", twilio_account_sid, "twilio_sid", credentials.pop("twilio_sid"))
    twilio_token = _pick(
        method, "twilio_auth_token", twilio_auth_token, "twilio_token", credentials.pop("twilio_token")
    )
    fields = _fields(
        extra,
        phone_number=phone_number,
        agent_id=agent_id,
        twilio_sid=twilio_sid,
        twilio_token=twilio_token,
        **credentials,
    )
    return b.body(method, fields, _types("phone_numbers.import"), extra_body)


def _webhook_op(method: str, slot: int) -> str:
    if isinstance(slot, bool) or slot not in (1, 2):
        raise ValueError(f"webhooks.{method}() slot must be 1 or 2, not {slot!r}")
    return f"integrations.{'webhook' if slot == 1 else 'webhook2'}.{method}"


def _number(method: str, phone_number: str) -> Pairs:
    return [("phone_number", b.path(method, "phone_number", phone_number))]


class SyncCallsCompat(SyncResource):
    def create(
        self,
        agent_id: str,
        to_number: str,
        prompt: str,
        from_number: Optional[str] = None,
        variables: Optional[Mapping[str, str]] = None,
        *,
        dynamic_vars: Union[Mapping[str, str], NotGiven] = NOT_GIVEN,
        campaign_id: Union[str, NotGiven] = NOT_GIVEN,
        extra_body: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        **extra: Any,
    ) -> OutboundCallResult:
        """Places an outbound call (``POST /v1/calls/outbound``, ``calls.create``).

        ``to_number`` and ``prompt`` are required. ``variables`` (the official SDK's name) and
        ``dynamic_vars`` (the API's) are the same field. The call carries an idempotency key
        (``idempotency_key=``, else a fresh one) on every retry, so it is never dialled twice.
        Other keyword arguments are sent in the body as given, as the official SDK did.
        """
        body = _calls_create(
            agent_id, to_number, prompt, from_number, variables, dynamic_vars, campaign_id, extra_body, extra
        )
        opts = b.options(timeout, max_retries, idempotency_key, extra_headers)
        return cast("OutboundCallResult", self._request("calls.create", None, None, body, opts))


class AsyncCallsCompat(AsyncResource):
    async def create(
        self,
        agent_id: str,
        to_number: str,
        prompt: str,
        from_number: Optional[str] = None,
        variables: Optional[Mapping[str, str]] = None,
        *,
        dynamic_vars: Union[Mapping[str, str], NotGiven] = NOT_GIVEN,
        campaign_id: Union[str, NotGiven] = NOT_GIVEN,
        extra_body: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        **extra: Any,
    ) -> OutboundCallResult:
        """Places an outbound call; see ``Nixflex.calls.create``."""
        body = _calls_create(
            agent_id, to_number, prompt, from_number, variables, dynamic_vars, campaign_id, extra_body, extra
        )
        opts = b.options(timeout, max_retries, idempotency_key, extra_headers)
        return cast("OutboundCallResult", await self._request("calls.create", None, None, body, opts))


class SyncCampaignsCompat(SyncResource):
    def create(
        self,
        agent_id: str,
        from_number: Optional[str] = None,
        prompt: Optional[str] = None,
        recipients: Optional[Sequence[Mapping[str, Any]]] = None,
        *,
        name: Union[str, NotGiven] = NOT_GIVEN,
        skip_invalid: Union[bool, NotGiven] = NOT_GIVEN,
        schedule_type: Union[str, NotGiven] = NOT_GIVEN,
        scheduled_date: Union[str, NotGiven] = NOT_GIVEN,
        timezone: Union[str, NotGiven] = NOT_GIVEN,
        window_start_minutes: Union[int, NotGiven] = NOT_GIVEN,
        window_end_minutes: Union[int, NotGiven] = NOT_GIVEN,
        window_days: Union[Sequence[str], NotGiven] = NOT_GIVEN,
        max_concurrent: Union[int, NotGiven] = NOT_GIVEN,
        extra_body: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        **extra: Any,
    ) -> BatchCampaignCreateResult:
        """Creates a voice campaign (``POST /v1/calls/batch``, ``campaigns.create``), in the
        official order ``(agent_id, from_number, prompt, recipients)``; ``prompt`` and
        ``recipients`` (``[{"phone": "+1…", "variables": {…}}]``) are required. Other keyword
        arguments are sent in the body as given, as the official SDK did."""
        named = dict(
            name=name,
            skip_invalid=skip_invalid,
            schedule_type=schedule_type,
            scheduled_date=scheduled_date,
            timezone=timezone,
            window_start_minutes=window_start_minutes,
            window_end_minutes=window_end_minutes,
            window_days=window_days,
            max_concurrent=max_concurrent,
        )
        body = _campaigns_create(agent_id, from_number, prompt, recipients, named, extra_body, extra)
        opts = b.options(timeout, max_retries, idempotency_key, extra_headers)
        return cast("BatchCampaignCreateResult", self._request("campaigns.create", None, None, body, opts))


class AsyncCampaignsCompat(AsyncResource):
    async def create(
        self,
        agent_id: str,
        from_number: Optional[str] = None,
        prompt: Optional[str] = None,
        recipients: Optional[Sequence[Mapping[str, Any]]] = None,
        *,
        name: Union[str, NotGiven] = NOT_GIVEN,
        skip_invalid: Union[bool, NotGiven] = NOT_GIVEN,
        schedule_type: Union[str, NotGiven] = NOT_GIVEN,
        scheduled_date: Union[str, NotGiven] = NOT_GIVEN,
        timezone: Union[str, NotGiven] = NOT_GIVEN,
        window_start_minutes: Union[int, NotGiven] = NOT_GIVEN,
        window_end_minutes: Union[int, NotGiven] = NOT_GIVEN,
        window_days: Union[Sequence[str], NotGiven] = NOT_GIVEN,
        max_concurrent: Union[int, NotGiven] = NOT_GIVEN,
        extra_body: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        **extra: Any,
    ) -> BatchCampaignCreateResult:
        """Creates a voice campaign; see ``Nixflex.campaigns.create``."""
        named = dict(
            name=name,
            skip_invalid=skip_invalid,
            schedule_type=schedule_type,
            scheduled_date=scheduled_date,
            timezone=timezone,
            window_start_minutes=window_start_minutes,
            window_end_minutes=window_end_minutes,
            window_days=window_days,
            max_concurrent=max_concurrent,
        )
        body = _campaigns_create(agent_id, from_number, prompt, recipients, named, extra_body, extra)
        opts = b.options(timeout, max_retries, idempotency_key, extra_headers)
        return cast("BatchCampaignCreateResult", await self._request("campaigns.create", None, None, body, opts))


class SyncSmsCompat(SyncResource):
    def send(
        self,
        agent_id: str,
        from_number: Optional[str] = None,
        to: Optional[str] = None,
        message: Optional[str] = None,
        *,
        context: Union[Mapping[str, Any], NotGiven] = NOT_GIVEN,
        extra_body: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        **extra: Any,
    ) -> SmsSendResult:
        """Sends one SMS (``POST /v1/sms``, ``sms.send``), in the official order
        ``(agent_id, from_number, to, message)``; ``to`` and ``message`` are required and
        ``from_number`` may be ``None`` (a number of the agent is used). Other keyword arguments
        are sent in the body as given, as the official SDK did."""
        body = _sms_send(agent_id, from_number, to, message, context, extra_body, extra)
        opts = b.options(timeout, max_retries, idempotency_key, extra_headers)
        return cast("SmsSendResult", self._request("sms.send", None, None, body, opts))


class AsyncSmsCompat(AsyncResource):
    async def send(
        self,
        agent_id: str,
        from_number: Optional[str] = None,
        to: Optional[str] = None,
        message: Optional[str] = None,
        *,
        context: Union[Mapping[str, Any], NotGiven] = NOT_GIVEN,
        extra_body: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        **extra: Any,
    ) -> SmsSendResult:
        """Sends one SMS; see ``Nixflex.sms.send``."""
        body = _sms_send(agent_id, from_number, to, message, context, extra_body, extra)
        opts = b.options(timeout, max_retries, idempotency_key, extra_headers)
        return cast("SmsSendResult", await self._request("sms.send", None, None, body, opts))


class SyncSmsCampaignsCompat(SyncResource):
    def create(
        self,
        agent_id: str,
        from_number: str,
        message_template: Optional[str] = None,
        recipients: Optional[Sequence[Mapping[str, Any]]] = None,
        *,
        name: Union[str, NotGiven] = NOT_GIVEN,
        schedule_type: Union[str, NotGiven] = NOT_GIVEN,
        scheduled_at: Union[str, NotGiven] = NOT_GIVEN,
        message: Union[str, NotGiven] = NOT_GIVEN,
        extra_body: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        **extra: Any,
    ) -> SmsCampaign:
        """Creates an SMS campaign (``POST /v1/sms/campaigns``, ``sms.campaigns.create``).

        The third argument is the template (``message_template``; the official SDK called it
        ``message``, which is accepted). ``schedule_type`` defaults to ``"schedule"`` when
        ``scheduled_at`` is given, else ``"now"``. The API requires ``name``. Other keyword
        arguments are sent in the body as given, as the official SDK did.
        """
        body = _sms_campaigns_create(
            agent_id,
            from_number,
            message_template,
            recipients,
            name,
            schedule_type,
            scheduled_at,
            message,
            extra_body,
            extra,
        )
        opts = b.options(timeout, max_retries, idempotency_key, extra_headers)
        return cast("SmsCampaign", self._request("sms.campaigns.create", None, None, body, opts))


class AsyncSmsCampaignsCompat(AsyncResource):
    async def create(
        self,
        agent_id: str,
        from_number: str,
        message_template: Optional[str] = None,
        recipients: Optional[Sequence[Mapping[str, Any]]] = None,
        *,
        name: Union[str, NotGiven] = NOT_GIVEN,
        schedule_type: Union[str, NotGiven] = NOT_GIVEN,
        scheduled_at: Union[str, NotGiven] = NOT_GIVEN,
        message: Union[str, NotGiven] = NOT_GIVEN,
        extra_body: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        **extra: Any,
    ) -> SmsCampaign:
        """Creates an SMS campaign; see ``Nixflex.sms.campaigns.create``."""
        body = _sms_campaigns_create(
            agent_id,
            from_number,
            message_template,
            recipients,
            name,
            schedule_type,
            scheduled_at,
            message,
            extra_body,
            extra,
        )
        opts = b.options(timeout, max_retries, idempotency_key, extra_headers)
        return cast("SmsCampaign", await self._request("sms.campaigns.create", None, None, body, opts))


class SyncPhoneNumbersCompat(SyncResource):
    def import_(
        self,
        phone_number: str,
        agent_id: str,
        *,
        twilio_sid: Union[str, NotGiven] = NOT_GIVEN,
        twilio_token: Union[str, NotGiven] = NOT_GIVEN,
        telnyx_api_key: Union[str, NotGiven] = NOT_GIVEN,
        telnyx_connection_id: Union[str, NotGiven] = NOT_GIVEN,
        custom_prompt: Union[str, NotGiven] = NOT_GIVEN,
        twilio_account_sid: Union[str, NotGiven] = NOT_GIVEN,
        twilio_auth_token: Union[str, NotGiven] = NOT_GIVEN,
        extra_body: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        **extra: Any,
    ) -> PhoneNumberResponse:
        """Imports a number you own at Twilio or Telnyx (``POST /v1/phone-numbers``,
        ``phone_numbers.import``). ``twilio_account_sid``/``twilio_auth_token`` (the official
        docs' names) are the same fields as ``twilio_sid``/``twilio_token``. Other keyword
        arguments are sent in the body as given (the official ``**credentials``)."""
        body = _phone_numbers_import(
            phone_number,
            agent_id,
            dict(
                twilio_sid=twilio_sid,
                twilio_token=twilio_token,
                telnyx_api_key=telnyx_api_key,
                telnyx_connection_id=telnyx_connection_id,
                custom_prompt=custom_prompt,
            ),
            twilio_account_sid,
            twilio_auth_token,
            extra_body,
            extra,
        )
        opts = b.options(timeout, max_retries, idempotency_key, extra_headers)
        return cast("PhoneNumberResponse", self._request("phone_numbers.import", None, None, body, opts))


class AsyncPhoneNumbersCompat(AsyncResource):
    async def import_(
        self,
        phone_number: str,
        agent_id: str,
        *,
        twilio_sid: Union[str, NotGiven] = NOT_GIVEN,
        twilio_token: Union[str, NotGiven] = NOT_GIVEN,
        telnyx_api_key: Union[str, NotGiven] = NOT_GIVEN,
        telnyx_connection_id: Union[str, NotGiven] = NOT_GIVEN,
        custom_prompt: Union[str, NotGiven] = NOT_GIVEN,
        twilio_account_sid: Union[str, NotGiven] = NOT_GIVEN,
        twilio_auth_token: Union[str, NotGiven] = NOT_GIVEN,
        extra_body: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        **extra: Any,
    ) -> PhoneNumberResponse:
        """Imports a number; see ``Nixflex.phone_numbers.import_``."""
        body = _phone_numbers_import(
            phone_number,
            agent_id,
            dict(
                twilio_sid=twilio_sid,
                twilio_token=twilio_token,
                telnyx_api_key=telnyx_api_key,
                telnyx_connection_id=telnyx_connection_id,
                custom_prompt=custom_prompt,
            ),
            twilio_account_sid,
            twilio_auth_token,
            extra_body,
            extra,
        )
        opts = b.options(timeout, max_retries, idempotency_key, extra_headers)
        return cast("PhoneNumberResponse", await self._request("phone_numbers.import", None, None, body, opts))


class SyncWebhooksCompat(SyncResource):
    """The official ``webhooks`` resource: the call-event webhook of a number, slot 1 or 2."""

    verify = staticmethod(verify_webhook_signature)

    def set(
        self,
        phone_number: str,
        url: str,
        slot: int = 1,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> IntegrationSetResult:
        """Sets where call events of ``phone_number`` are posted (``integrations.webhook.set``,
        or ``integrations.webhook2.set`` for ``slot=2``)."""
        op = _webhook_op("set", slot)
        body = b.body("webhooks.set", {"url": url}, {"url": (str,)}, None)
        opts = b.options(timeout, max_retries, idempotency_key, extra_headers)
        return cast("IntegrationSetResult", self._request(op, _number("webhooks.set", phone_number), None, body, opts))

    @overload
    def get(
        self,
        phone_number: str,
        slot: Literal[1] = 1,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> WebhookState: ...
    @overload
    def get(
        self,
        phone_number: str,
        slot: Literal[2],
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Webhook2State: ...
    @overload
    def get(
        self,
        phone_number: str,
        slot: int,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Union[WebhookState, Webhook2State]: ...
    def get(
        self,
        phone_number: str,
        slot: int = 1,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Union[WebhookState, Webhook2State]:
        """The webhook of ``phone_number`` in ``slot`` (``{phone_number, webhook_url, is_set}``;
        ``webhook_url_2`` for slot 2)."""
        op = _webhook_op("get", slot)
        opts = b.options(timeout, max_retries, None, extra_headers)
        return cast("WebhookState", self._request(op, _number("webhooks.get", phone_number), None, None, opts))

    def delete(
        self,
        phone_number: str,
        slot: int = 1,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> IntegrationDeleteResult:
        """Removes the webhook of ``phone_number`` in ``slot``."""
        op = _webhook_op("delete", slot)
        opts = b.options(timeout, max_retries, idempotency_key, extra_headers)
        return cast(
            "IntegrationDeleteResult", self._request(op, _number("webhooks.delete", phone_number), None, None, opts)
        )


class AsyncWebhooksCompat(AsyncResource):
    """The official ``webhooks`` resource; see ``Nixflex.webhooks``."""

    verify = staticmethod(verify_webhook_signature)

    async def set(
        self,
        phone_number: str,
        url: str,
        slot: int = 1,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> IntegrationSetResult:
        """Sets where call events of ``phone_number`` are posted (slot 1 or 2)."""
        op = _webhook_op("set", slot)
        body = b.body("webhooks.set", {"url": url}, {"url": (str,)}, None)
        opts = b.options(timeout, max_retries, idempotency_key, extra_headers)
        return cast(
            "IntegrationSetResult", await self._request(op, _number("webhooks.set", phone_number), None, body, opts)
        )

    @overload
    async def get(
        self,
        phone_number: str,
        slot: Literal[1] = 1,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> WebhookState: ...
    @overload
    async def get(
        self,
        phone_number: str,
        slot: Literal[2],
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Webhook2State: ...
    @overload
    async def get(
        self,
        phone_number: str,
        slot: int,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Union[WebhookState, Webhook2State]: ...
    async def get(
        self,
        phone_number: str,
        slot: int = 1,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Union[WebhookState, Webhook2State]:
        """The webhook of ``phone_number`` in ``slot``."""
        op = _webhook_op("get", slot)
        opts = b.options(timeout, max_retries, None, extra_headers)
        return cast("WebhookState", await self._request(op, _number("webhooks.get", phone_number), None, None, opts))

    async def delete(
        self,
        phone_number: str,
        slot: int = 1,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> IntegrationDeleteResult:
        """Removes the webhook of ``phone_number`` in ``slot``."""
        op = _webhook_op("delete", slot)
        opts = b.options(timeout, max_retries, idempotency_key, extra_headers)
        return cast(
            "IntegrationDeleteResult",
            await self._request(op, _number("webhooks.delete", phone_number), None, None, opts),
        )
