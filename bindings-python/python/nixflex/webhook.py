"""The official SDK's module path: ``from nixflex.webhook import verify_webhook_signature``."""

from ._webhooks import DEFAULT_TOLERANCE_SECONDS, compute_signature, construct_event, sign, verify_webhook_signature

__all__ = ["verify_webhook_signature", "construct_event", "sign", "compute_signature", "DEFAULT_TOLERANCE_SECONDS"]
