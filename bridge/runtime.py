"""Process-wide state every call shares: the engine (loaded once), records store, tokens, registry."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from dataclasses import dataclass, field, replace

from bridge.hangup import TwilioHangup
from bridge.metrics import BridgeMetrics
from bridge.registry import CallRegistry
from bridge.settings import BridgeSettings
from bridge.signatures import TwilioSignatures
from bridge.tokens import StreamTokens
from core.policy import Policy
from core.prompts import PromptBook
from core.record import CallRecord, utc_now
from core.records import RecordExists, RecordRejected, RecordStore, StoreError
from core.screening import Screening
from core.speech.engine import SpeechEngine, TurnSettings

log = logging.getLogger("bridge.runtime")
SPOOL_RETRY_MIN_S = 0.5


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
        self.host = socket.gethostname()
        self.instance_id = f"{self.host[:40]}-{os.getpid()}-{secrets.token_hex(4)}"
        """This process, as named on the records it runs (`owner`) and in the instances table."""
        self.started_at = utc_now()
        self.store_problem: str | None = "not checked yet"
        """Why the records database cannot take a write right now (None: it can)."""
        self._background: list[asyncio.Task[None]] = []
        self.unsaved: list[dict[str, object]] = []
        """Records neither the database nor the spool could take (a full disk), oldest first."""

    async def start(self) -> None:
        if self.store is None:
            settings = self.settings
            self.store = await asyncio.to_thread(RecordStore.open, settings.db_url, spool_dir=settings.spool_dir)
        await self.check_store()
        self._background = [
            asyncio.create_task(self._keep_heartbeat(), name="heartbeat"),
            asyncio.create_task(self._flush_spool(), name="spool-flush"),
        ]
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
        for task in self._background:
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
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
        """Durable when this returns (database, or the local spool while it is down); if neither takes it
        (a full disk) the record is held in memory, readiness turns false, and it is retried with the spool."""
        try:
            return str(await self.records.save_async(record))
        except RecordRejected:
            raise
        except StoreError as exc:
            self.unsaved.append(record.to_json())
            log.error("call record held in memory until the database or spool takes it: %s", exc)
            return "memory"

    @property
    def waiting(self) -> int:
        """Records not yet in the database: in the spool file or held in memory."""
        return self.records.spooled + len(self.unsaved)

    def _retry_unsaved(self) -> None:
        while self.unsaved:
            try:
                self.records.save(self.unsaved[0])
            except RecordExists:
                log.error("held record dropped: a closed record with its id is stored")
            except StoreError:
                return
            self.unsaved.pop(0)

    async def note_status(self, call_sid: str, fields: dict[str, str]) -> None:
        """A status callback goes on the call's record: the live one, or the stored one after the call."""
        text = "twilio status: " + ", ".join(f"{key}={value}" for key, value in fields.items())
        live = self.calls.get(call_sid)
        if live is not None:
            live.note(text)
            return
        await asyncio.to_thread(self.records.add_note, call_sid, text)

    async def check_store(self) -> bool:
        """Write this instance's heartbeat: the truthful readiness check (a write, not `SELECT 1`)."""
        store = self.records
        try:
            await asyncio.to_thread(
                store.heartbeat, self.instance_id, host=self.host, pid=os.getpid(), started_at=self.started_at
            )
        except StoreError as exc:
            if self.store_problem is None:
                log.error("records database not writable: %s", exc)
            self.store_problem = str(exc)
            return False
        if self.store_problem is not None and self.store_problem != "not checked yet":
            log.info("records database writable again")
        self.store_problem = None
        return True

    async def _keep_heartbeat(self) -> None:
        """Beat, and close the records other (dead) instances left open as `interrupted`."""
        while True:
            try:
                if await self.check_store():
                    with contextlib.suppress(StoreError):
                        closed = await asyncio.to_thread(
                            self.records.close_orphans, self.settings.orphan_after_s, keep_owner=self.instance_id
                        )
                        self.metrics.interrupted.inc(len(closed))
            except Exception:  # never let the heartbeat die: readiness depends on it
                log.exception("heartbeat failed")
            await asyncio.sleep(self.settings.heartbeat_s)

    async def _flush_spool(self) -> None:
        """Write spooled records back as soon as the database takes them, backing off while it does not."""
        delay = SPOOL_RETRY_MIN_S
        while True:
            try:
                delay = await self._flush_once(delay)
            except Exception:  # a bug here must not stop records going back to the database
                log.exception("spool flush failed")
                delay = min(delay * 2, self.settings.spool_retry_max_s)
            await asyncio.sleep(delay)

    async def _flush_once(self, delay: float) -> float:
        """One try; the delay before the next (backing off while the database refuses)."""
        waiting = await asyncio.to_thread(lambda: self.waiting)
        self.metrics.spooled.set(waiting)
        if not waiting:
            return SPOOL_RETRY_MIN_S
        await asyncio.to_thread(self._retry_unsaved)
        await asyncio.to_thread(self.records.flush_spool)
        left = await asyncio.to_thread(lambda: self.waiting)
        self.metrics.spooled.set(left)
        if not left:
            return SPOOL_RETRY_MIN_S
        delay = min(delay * 2, self.settings.spool_retry_max_s)
        log.info("spool kept: %d records wait for the database; next try in %.1f s", left, delay)
        return delay
