"""Twilio request signatures, checked against the public URL Twilio signed, never the one we see."""

from __future__ import annotations

from collections.abc import Mapping

from twilio.request_validator import RequestValidator

from bridge.settings import BridgeSettings


class TwilioSignatures:
    """Validates webhook and media-stream upgrade signatures; fails closed without an auth token."""

    def __init__(self, settings: BridgeSettings) -> None:
        self._settings = settings
        token = settings.twilio_auth_token.get_secret_value()
        self._validator = RequestValidator(token) if token else None

    def webhook_ok(self, path: str, query: str, form: Mapping[str, str], signature: str | None) -> bool:
        """A form POST: public URL (with its raw query) plus every form field."""
        if self._validator is None or not signature:
            return False
        return bool(self._validator.validate(self._settings.public_url(path, query), dict(form), signature))

    def websocket_ok(self, path: str, signature: str | None) -> bool:
        """A WebSocket upgrade: the wss:// URL from the TwiML with empty params."""
        if self._validator is None or not signature:
            return False
        return bool(self._validator.validate(self._settings.public_ws_url(path), {}, signature))
