"""Ending a Twilio call deterministically through the REST API (closing the socket alone may not)."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import ClientError
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from bridge.settings import BridgeSettings

log = logging.getLogger("bridge.hangup")
TIMEOUT_S = 5.0


class TwilioHangup:
    """`calls(sid).update(status="completed")`; a 404 means the caller already left, which is fine."""

    def __init__(self, settings: BridgeSettings) -> None:
        self._settings = settings
        self._client: Client | None = None
        self._http: AsyncTwilioHttpClient | None = None

    @property
    def configured(self) -> bool:
        return bool(self._settings.twilio_account_sid and self._settings.twilio_auth_token.get_secret_value())

    async def open(self) -> None:
        """Create the async client on the running loop (its aiohttp session belongs to that loop)."""
        if not self.configured:
            return
        self._http = AsyncTwilioHttpClient(timeout=TIMEOUT_S)
        self._client = Client(
            self._settings.twilio_account_sid,
            self._settings.twilio_auth_token.get_secret_value(),
            http_client=self._http,
        )
        if self._settings.twilio_api_base_url:
            self._client.api.base_url = self._settings.twilio_api_base_url.rstrip("/")

    async def hang_up(self, call_sid: str) -> bool:
        """True when the call is over (hung up now, or already ended); False lets the TwiML fallback act."""
        if self._client is None:
            log.warning("no Twilio credentials: cannot hang up through the REST API", extra={"call_sid": call_sid})
            return False
        try:
            await self._client.calls(call_sid).update_async(status="completed")
        except TwilioRestException as exc:
            if exc.status == 404:
                log.info("call already ended before the REST hang-up", extra={"call_sid": call_sid})
                return True
            log.warning("REST hang-up refused: HTTP %s code %s", exc.status, exc.code, extra={"call_sid": call_sid})
            return False
        except (ClientError, TimeoutError, OSError) as exc:
            log.warning("REST hang-up failed: %s", type(exc).__name__, extra={"call_sid": call_sid})
            return False
        log.info("hung up through the REST API", extra={"call_sid": call_sid})
        return True

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.close()
            await asyncio.sleep(0)
