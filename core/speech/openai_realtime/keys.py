"""The OpenAI API key: from OPENAI_API_KEY or the OS keyring, held so it can never be printed."""

from __future__ import annotations

import os
from collections.abc import Mapping

KEYRING_SERVICE = "quickrupee-voice"
KEYRING_USERNAME = "openai_api_key"


class MissingKeyError(RuntimeError):
    """No API key is configured."""


class ApiKey:
    """A secret whose str/repr never show it; only `bearer()` reveals it, for the handshake header."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        value = value.strip()
        if not value or any(ch.isspace() for ch in value):
            raise MissingKeyError("the OpenAI API key is empty or contains whitespace")
        self._value = value

    def bearer(self) -> str:
        return f"Bearer {self._value}"

    def redact(self, text: str) -> str:
        """`text` with every occurrence of the key replaced (for log lines and error messages)."""
        return text.replace(self._value, "[redacted]")

    def __repr__(self) -> str:
        return "ApiKey([redacted])"

    __str__ = __repr__

    def __reduce__(self) -> object:
        raise TypeError("ApiKey cannot be pickled")


def find_api_key(env: Mapping[str, str] | None = None, *, use_keyring: bool = True) -> ApiKey:
    """OPENAI_API_KEY if set, else the keyring entry (service quickrupee-voice, user openai_api_key)."""
    env = os.environ if env is None else env
    value = env.get("OPENAI_API_KEY", "").strip()
    if not value and use_keyring:
        value = _keyring_value()
    if not value:
        raise MissingKeyError(
            "no OpenAI API key: set OPENAI_API_KEY or store one with "
            f"`keyring set {KEYRING_SERVICE} {KEYRING_USERNAME}`"
        )
    return ApiKey(value)


def _keyring_value() -> str:
    try:
        import keyring
        from keyring.errors import KeyringError

        return keyring.get_password(KEYRING_SERVICE, KEYRING_USERNAME) or ""
    except (ImportError, KeyringError, RuntimeError):
        return ""
