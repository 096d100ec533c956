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

Every other keyword is a TypeError naming it: nothing a caller passes is silently dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple, cast

from . import _base as b
from ._base import AsyncResource, NativeOptions, Pairs, SyncResource
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
    )

Request = Tuple[str, Optional[Pairs], Optional[bytes], Optional[NativeOptions]]


def _types(op: str) -> Dict[str, Any]:
    from . import _resources  # loaded by then; the tables are generated from the spec

    table: Dict[str, Any] = getattr(_resources, "_T_" + op.replace(".", "_").upper())
    return table


def _pick(method: str, official: str, official_value: Any, api: str, api_value: Any) -> Any:
    """One value from an official alias and the API's name; both, differing, is an error."""
    if official_value is not None and api_value is not None and official_value != api_value:
        raise TypeError(f"{method}() got both {official!r} and {api!r}; they are the same field ({api!r}), pass one")
    return api_value if api_value is not None else official_value


def _require(method: str, **values: Any) -> None:
    for name, value in values.items():
        if value is None:
            raise TypeError(f"{method}() missing required argument: {name!r}")


def _fields(**values: Any) -> Dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _calls_create(
    agent_id: str,
    to_number: Optional[str],
    prompt: Optional[str],
    from_number: Optional[str],
    variables: Optional[Mapping[str, str]],
    dynamic_vars: Optional[Mapping[str, str]],
    campaign_id: Optional[str],
    extra_body: Optional[Mapping[str, Any]],
) -> bytes:
    method = "calls.create"
    _require(method, to_number=to_number, prompt=prompt)
    fields = _fields(
        agent_id=agent_id,
        to_number=to_number,
        prompt=prompt,
        dynamic_vars=_pick(method, "variables", variables, "dynamic_vars", dynamic_vars),
        from_number=from_number,
        campaign_id=campaign_id,
    )
    return b.body(method, fields, _types("calls.create"), extra_body)


def _campaigns_create(
    agent_id: str,
    from_number: Optional[str],
    prompt: Optional[str],
    recipients: Optional[Sequence[Mapping[str, Any]]],
    extra: Dict[str, Any],
    extra_body: Optional[Mapping[str, Any]],
) -> bytes:
    method = "campaigns.create"
    _require(method, prompt=prompt, recipients=recipients)
    fields = _fields(agent_id=agent_id, prompt=prompt, recipients=recipients, from_number=from_number, **extra)
    return b.body(method, fields, _types("campaigns.create"), extra_body)


def _sms_send(
    agent_id: str,
    from_number: Optional[str],
    to: Optional[str],
    message: Optional[str],
    context: Optional[Mapping[str, Any]],
    extra_body: Optional[Mapping[str, Any]],
) -> bytes:
    method = "sms.send"
    _require(method, to=to, message=message)
    fields = _fields(agent_id=agent_id, to=to, message=message, from_number=from_number, context=context)
    return b.body(method, fields, _types("sms.send"), extra_body)


def _sms_campaigns_create(
    agent_id: str,
    from_number: str,
    message_template: Optional[str],
    recipients: Optional[Sequence[Mapping[str, Any]]],
    name: Optional[str],
    schedule_type: Optional[str],
    scheduled_at: Optional[str],
    message: Optional[str],
    extra_body: Optional[Mapping[str, Any]],
) -> bytes:
    method = "sms.campaigns.create"
    template = _pick(method, "message", message, "message_template", message_template)
    _require(method, message_template=template, recipients=recipients)
    if schedule_type is None:
        schedule_type = "schedule" if scheduled_at is not None else "now"
    fields = _fields(
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
    twilio_sid: Optional[str],
    twilio_token: Optional[str],
    telnyx_api_key: Optional[str],
    telnyx_connection_id: Optional[str],
    custom_prompt: Optional[str],
    twilio_account_sid: Optional[str],
    twilio_auth_token: Optional[str],
    extra_body: Optional[Mapping[str, Any]],
) -> bytes:
    method = "phone_numbers.import_"
    fields = _fields(
        phone_number=phone_number,
        agent_id=agent_id,
        twilio_sid=_pick(method, "twilio_account_sid", twilio_account_sid, "twilio_sid", twilio_sid),
        twilio_token=_pick(method, "twilio_auth_token", twilio_auth_token, "twilio_token", twilio_token),
        telnyx_api_key=telnyx_api_key,
        telnyx_connection_id=telnyx_connection_id,
        custom_prompt=custom_prompt,
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
        dynamic_vars: Optional[Mapping[str, str]] = None,
        campaign_id: Optional[str] = None,
        extra_body: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> OutboundCallResult:
        """Places an outbound call (``POST /v1/calls/outbound``, ``calls.create``).

        ``to_number`` and ``prompt`` are required. ``variables`` (the official SDK's name) and
        ``dynamic_vars`` (the API's) are the same field. The call carries an idempotency key
        (``idempotency_key=``, else a fresh one) on every retry, so it is never dialled twice.
        """
        body = _calls_create(agent_id, to_number, prompt, from_number, variables, dynamic_vars, campaign_id, extra_body)
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
        dynamic_vars: Optional[Mapping[str, str]] = None,
        campaign_id: Optional[str] = None,
        extra_body: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> OutboundCallResult:
        """Places an outbound call; see ``Nixflex.calls.create``."""
        body = _calls_create(agent_id, to_number, prompt, from_number, variables, dynamic_vars, campaign_id, extra_body)
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
        name: Optional[str] = None,
        skip_invalid: Optional[bool] = None,
        schedule_type: Optional[str] = None,
        scheduled_date: Optional[str] = None,
        timezone: Optional[str] = None,
        window_start_minutes: Optional[int] = None,
        window_end_minutes: Optional[int] = None,
        window_days: Optional[Sequence[str]] = None,
        max_concurrent: Optional[int] = None,
        extra_body: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> BatchCampaignCreateResult:
        """Creates a voice campaign (``POST /v1/calls/batch``, ``campaigns.create``), in the
        official order ``(agent_id, from_number, prompt, recipients)``; ``prompt`` and
        ``recipients`` (``[{"phone": "+1…", "variables": {…}}]``) are required."""
        extra = _fields(
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
        body = _campaigns_create(agent_id, from_number, prompt, recipients, extra, extra_body)
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
        name: Optional[str] = None,
        skip_invalid: Optional[bool] = None,
        schedule_type: Optional[str] = None,
        scheduled_date: Optional[str] = None,
        timezone: Optional[str] = None,
        window_start_minutes: Optional[int] = None,
        window_end_minutes: Optional[int] = None,
        window_days: Optional[Sequence[str]] = None,
        max_concurrent: Optional[int] = None,
        extra_body: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> BatchCampaignCreateResult:
        """Creates a voice campaign; see ``Nixflex.campaigns.create``."""
        extra = _fields(
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
        body = _campaigns_create(agent_id, from_number, prompt, recipients, extra, extra_body)
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
        context: Optional[Mapping[str, Any]] = None,
        extra_body: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> SmsSendResult:
        """Sends one SMS (``POST /v1/sms``, ``sms.send``), in the official order
        ``(agent_id, from_number, to, message)``; ``to`` and ``message`` are required and
        ``from_number`` may be ``None`` (a number of the agent is used)."""
        body = _sms_send(agent_id, from_number, to, message, context, extra_body)
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
        context: Optional[Mapping[str, Any]] = None,
        extra_body: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> SmsSendResult:
        """Sends one SMS; see ``Nixflex.sms.send``."""
        body = _sms_send(agent_id, from_number, to, message, context, extra_body)
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
        name: Optional[str] = None,
        schedule_type: Optional[str] = None,
        scheduled_at: Optional[str] = None,
        message: Optional[str] = None,
        extra_body: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> SmsCampaign:
        """Creates an SMS campaign (``POST /v1/sms/campaigns``, ``sms.campaigns.create``).

        The third argument is the template (``message_template``; the official SDK called it
        ``message``, which is accepted). ``schedule_type`` defaults to ``"schedule"`` when
        ``scheduled_at`` is given, else ``"now"``. The API requires ``name``.
        """
        body = _sms_campaigns_create(
            agent_id, from_number, message_template, recipients, name, schedule_type, scheduled_at, message, extra_body
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
        name: Optional[str] = None,
        schedule_type: Optional[str] = None,
        scheduled_at: Optional[str] = None,
        message: Optional[str] = None,
        extra_body: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> SmsCampaign:
        """Creates an SMS campaign; see ``Nixflex.sms.campaigns.create``."""
        body = _sms_campaigns_create(
            agent_id, from_number, message_template, recipients, name, schedule_type, scheduled_at, message, extra_body
        )
        opts = b.options(timeout, max_retries, idempotency_key, extra_headers)
        return cast("SmsCampaign", await self._request("sms.campaigns.create", None, None, body, opts))


class SyncPhoneNumbersCompat(SyncResource):
    def import_(
        self,
        phone_number: str,
        agent_id: str,
        *,
        twilio_sid: Optional[str] = None,
        twilio_token: Optional[str] = None,
        telnyx_api_key: Optional[str] = None,
        telnyx_connection_id: Optional[str] = None,
        custom_prompt: Optional[str] = None,
        twilio_account_sid: Optional[str] = None,
        twilio_auth_token: Optional[str] = None,
        extra_body: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> PhoneNumberResponse:
        """Imports a number you own at Twilio or Telnyx (``POST /v1/phone-numbers``,
        ``phone_numbers.import``). ``twilio_account_sid``/``twilio_auth_token`` (the official
        docs' names) are the same fields as ``twilio_sid``/``twilio_token``."""
        body = _phone_numbers_import(
            phone_number,
            agent_id,
            twilio_sid,
            twilio_token,
            telnyx_api_key,
            telnyx_connection_id,
            custom_prompt,
            twilio_account_sid,
            twilio_auth_token,
            extra_body,
        )
        opts = b.options(timeout, max_retries, idempotency_key, extra_headers)
        return cast("PhoneNumberResponse", self._request("phone_numbers.import", None, None, body, opts))


class AsyncPhoneNumbersCompat(AsyncResource):
    async def import_(
        self,
        phone_number: str,
        agent_id: str,
        *,
        twilio_sid: Optional[str] = None,
        twilio_token: Optional[str] = None,
        telnyx_api_key: Optional[str] = None,
        telnyx_connection_id: Optional[str] = None,
        custom_prompt: Optional[str] = None,
        twilio_account_sid: Optional[str] = None,
        twilio_auth_token: Optional[str] = None,
        extra_body: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        idempotency_key: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> PhoneNumberResponse:
        """Imports a number; see ``Nixflex.phone_numbers.import_``."""
        body = _phone_numbers_import(
            phone_number,
            agent_id,
            twilio_sid,
            twilio_token,
            telnyx_api_key,
            telnyx_connection_id,
            custom_prompt,
            twilio_account_sid,
            twilio_auth_token,
            extra_body,
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

    def get(
        self,
        phone_number: str,
        slot: int = 1,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Dict[str, Any]:
        """The webhook of ``phone_number`` in ``slot`` (``{phone_number, webhook_url, is_set}``;
        ``webhook_url_2`` for slot 2)."""
        op = _webhook_op("get", slot)
        opts = b.options(timeout, max_retries, None, extra_headers)
        return cast("Dict[str, Any]", self._request(op, _number("webhooks.get", phone_number), None, None, opts))

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

    async def get(
        self,
        phone_number: str,
        slot: int = 1,
        *,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
    ) -> Dict[str, Any]:
        """The webhook of ``phone_number`` in ``slot``."""
        op = _webhook_op("get", slot)
        opts = b.options(timeout, max_retries, None, extra_headers)
        return cast("Dict[str, Any]", await self._request(op, _number("webhooks.get", phone_number), None, None, opts))

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
