"""Single-use stream tokens: the webhook issues one per call, the media socket spends it on `start`."""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class _Grant:
    call_sid: str
    expires: float


class StreamTokens:
    """Binds a random token to the call SID the signed webhook named; spent once, expires quickly."""

    def __init__(self, ttl_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl_s = ttl_s
        self._clock = clock
        self._grants: dict[str, _Grant] = {}

    def issue(self, call_sid: str) -> str:
        self._expire()
        token = secrets.token_urlsafe(24)
        self._grants[token] = _Grant(call_sid, self._clock() + self._ttl_s)
        return token

    def pending(self, call_sid: str) -> bool:
        """Whether an unspent, unexpired token was issued for this call."""
        self._expire()
        return any(hmac.compare_digest(grant.call_sid.encode(), call_sid.encode()) for grant in self._grants.values())

    def spend(self, token: str, call_sid: str) -> bool:
        """True once for a live token issued for this call SID; any other use fails."""
        self._expire()
        grant = self._grants.pop(token, None) if token else None
        if grant is None:
            return False
        return hmac.compare_digest(grant.call_sid.encode(), call_sid.encode())

    def _expire(self) -> None:
        now = self._clock()
        for token in [t for t, grant in self._grants.items() if grant.expires <= now]:
            del self._grants[token]
