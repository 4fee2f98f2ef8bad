"""Process-wide state every call shares: the engine (loaded once), records store, tokens, registry."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field, replace

from bridge.hangup import TwilioHangup
from bridge.metrics import BridgeMetrics
from bridge.registry import CallRegistry
from bridge.settings import BridgeSettings
from bridge.signatures import TwilioSignatures
from bridge.tokens import StreamTokens
from core.policy import Policy
from core.prompts import PromptBook
from core.record import CallRecord
from core.records import RecordStore
from core.screening import Screening
from core.speech.engine import SpeechEngine, TurnSettings

log = logging.getLogger("bridge.runtime")


@dataclass
class Runtime:
    """Created with the app; `start()` loads what is slow (models, database) off the event loop."""

    settings: BridgeSettings
    engine: SpeechEngine | None = None
    """Given by the caller (tests, an embedding app) or created by `start()` from settings."""
    store: RecordStore | None = None
    metrics: BridgeMetrics = field(default_factory=BridgeMetrics)
    calls: CallRegistry = field(default_factory=CallRegistry)
    turn_settings: TurnSettings = field(default_factory=TurnSettings)

    def __post_init__(self) -> None:
        self.tokens = StreamTokens(self.settings.stream_token_ttl_s)
        self.signatures = TwilioSignatures(self.settings)
        self.hangup = TwilioHangup(self.settings)
        self.screening = Screening.load(language=self.settings.language)
        """Opens every call's session (policy, prompts, understanding: loaded once)."""
        self.policy: Policy = self.screening.policy
        self.prompts: PromptBook = self.screening.prompts
        self._owns_engine = self.engine is None
        self._owns_store = self.store is None

    async def start(self) -> None:
        if self.store is None:
            self.store = await asyncio.to_thread(RecordStore.open, self.settings.db_url)
        await self.hangup.open()
        if self.engine is None:
            from core.speech.factory import create_engine
            from core.speech.settings import SpeechSettings

            speech = replace(SpeechSettings.from_env(), language=self.prompts.code).for_many_calls()
            self.engine = await asyncio.to_thread(create_engine, self.settings.engine, speech)
        rendered = await asyncio.to_thread(self.engine.voice.warm, self.prompts.all_texts())
        log.info("bridge ready", extra={"engine": self.engine.name, "prompts_rendered": rendered})

    async def stop(self) -> None:
        """After the server stopped taking calls: end any still open (recorded), release everything."""
        await self.calls.drain(0)
        await self.hangup.aclose()
        if self.engine is not None and self._owns_engine:
            await self.engine.aclose()
        if self.store is not None and self._owns_store:
            await asyncio.to_thread(self.store.close)

    @property
    def records(self) -> RecordStore:
        if self.store is None:
            raise RuntimeError("the records store is not open yet")
        return self.store

    async def save(self, record: CallRecord) -> str:
        """Durable when this returns (database, or the local spool while it is down)."""
        return str(await self.records.save_async(record))

    async def note_status(self, call_sid: str, fields: dict[str, str]) -> None:
        """A status callback goes on the call's record: the live one, or the stored one after the call."""
        text = "twilio status: " + ", ".join(f"{key}={value}" for key, value in fields.items())
        live = self.calls.get(call_sid)
        if live is not None:
            live.note(text)
            return
        stored = await asyncio.to_thread(self.records.get, call_sid)
        if stored is None:
            return
        stored["notes"] = [*stored.get("notes", []), text]
        await self.records.save_async(stored)
