"""Why the Realtime service could not be used, sorted by whether reconnecting can help."""

from __future__ import annotations


class RealtimeError(Exception):
    """Base class; messages never contain the API key."""

    retryable = True


class AuthenticationError(RealtimeError):
    """The key was refused (HTTP 401/403 or an `invalid_api_key` error); retrying cannot help."""

    retryable = False


class ConnectError(RealtimeError):
    """The connection was refused, timed out or the handshake failed with a server error."""


class SessionClosed(RealtimeError):
    """The socket closed under us: dropped, or the 60-minute session limit."""

    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


class ServiceError(RealtimeError):
    """OpenAI sent an `error` event this engine cannot recover from (e.g. it refused our session)."""

    retryable = False


class TranscriptTimeout(RealtimeError):
    """The caller stopped speaking but no transcript came in time (or transcription failed)."""

    retryable = False


class RealtimeUnavailable(RealtimeError):
    """OpenAI stays unusable for this call: the caller must continue on another engine."""

    retryable = False
