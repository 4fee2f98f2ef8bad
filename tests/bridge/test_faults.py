"""Issue 14 as a chaos engineer would try it: kill -9 mid-call, a second SIGTERM, the database deleted or
cut off under a running bridge, a 200 MB unsigned POST, and hundreds of idle connections."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.call_sim import HangUp, Press, TwilioCaller
from core.records import RecordStore
from core.speech.engine import SpeechEngine
from tests.bridge.harness import AUTH_TOKEN, EXOTEL_TOKEN, BridgeUnderTest, FakeTwilio, running_bridge
from tests.bridge.streams import close_code, started_stream
from tests.bridge.test_process import BridgeProcess, bridge_process
from tests.records.conftest import pg_server_url, pg_url  # noqa: F401  (fixtures)
from tests.records.tcp_proxy import TcpProxy

FAST_ORPHANS = {"BRIDGE_HEARTBEAT_S": "0.5", "BRIDGE_ORPHAN_AFTER_S": "2"}


async def _until(check: Any, timeout: float = 15.0, every: float = 0.1) -> Any:
    async with asyncio.timeout(timeout):
        while True:
            found = await check()
            if found:
                return found
            await asyncio.sleep(every)


async def _checkpointed(bridge: BridgeProcess, call_sid: str) -> bool:
    response = await bridge.get(f"/api/calls/{call_sid}")
    return response.status_code == 200 and response.json()["answers"]["employment"] == "salaried"


async def test_kill_9_in_the_middle_of_three_calls_loses_none_of_them(tmp_path: Path, fake_twilio: FakeTwilio) -> None:
    callers = [TwilioCaller("", AUTH_TOKEN) for _ in range(3)]
    async with bridge_process(tmp_path, fake_twilio.url, grace_s=30, **FAST_ORPHANS) as bridge:
        calls = []
        for caller in callers:
            caller.base_url = bridge.url
            calls.append(asyncio.create_task(caller.run([Press("1"), HangUp(after_s=60)])))
        for caller in callers:  # each call answered the first question and its checkpoint says so
            await _until(lambda c=caller: _checkpointed(bridge, c.call_sid), timeout=30)
        bridge.process.kill()  # SIGKILL: no drain, no shutdown code runs
        await bridge.process.wait()
        for call in calls:
            call.cancel()
        await asyncio.gather(*calls, return_exceptions=True)

    async with bridge_process(tmp_path, fake_twilio.url, grace_s=30, **FAST_ORPHANS) as restarted:

        async def all_closed() -> list[dict[str, Any]] | None:
            records = [(await restarted.get(f"/api/calls/{c.call_sid}")).json() for c in callers]
            return records if all(record["ended_at"] for record in records) else None

        records = await _until(all_closed, timeout=20)
        metrics = (await restarted.get("/metrics")).text
    for record in records:
        assert record["outcome"] == "interrupted"
        assert record["answers"]["employment"] == "salaried"
        assert record["turns"][0]["parsed"] == {"employment": "salaried"}
        assert any(note.startswith("ended: interrupted") for note in record["notes"])
    assert "bridge_interrupted_records_total 3.0" in metrics


async def test_a_second_sigterm_stops_at_once_records_shutdown_and_exits_0(
    tmp_path: Path, fake_twilio: FakeTwilio
) -> None:
    async with bridge_process(tmp_path, fake_twilio.url, grace_s=60) as bridge:
        caller = TwilioCaller(bridge.url, AUTH_TOKEN)
        call = asyncio.create_task(caller.run([Press("1"), HangUp(after_s=60)]))
        await _until(lambda: _checkpointed(bridge, caller.call_sid), timeout=30)
        bridge.process.send_signal(signal.SIGTERM)
        await _until(lambda: _unready(bridge))
        bridge.process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(bridge.process.wait(), 15) == 0
        await asyncio.wait_for(call, 15)
    with RecordStore.open(bridge.db_url, spool_dir=tmp_path / "spool") as store:
        record = store.get(caller.call_sid)
    assert record is not None and record["outcome"] == "incomplete"
    assert "ended: shutdown" in record["notes"] and "ended: caller_hangup" not in record["notes"]


async def _unready(bridge: BridgeProcess) -> bool:
    return (await bridge.get("/readyz")).status_code == 503


def _peak_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


async def _post_stream(url: str, total: int, headers: dict[str, str]) -> int | None:
    """POST `total` bytes without holding them (1 MiB chunks); the status, or None if the server hung up."""

    async def body() -> AsyncIterator[bytes]:
        chunk = b"A=" + b"x" * (1 << 20)
        for _ in range(total // len(chunk)):
            yield chunk

    try:
        async with httpx.AsyncClient(timeout=30) as http:
            return (await http.post(url, content=body(), headers=headers)).status_code
    except (httpx.WriteError, httpx.ReadError, httpx.RemoteProtocolError):
        return None


async def test_large_posts_are_refused_unread_and_idle_connections_time_out_while_healthz_stays_fast(
    tmp_path: Path, fake_twilio: FakeTwilio
) -> None:
    limits = {"BRIDGE_HEADER_TIMEOUT_S": "2"}
    async with bridge_process(tmp_path, fake_twilio.url, grace_s=5, **limits) as bridge:
        pid = bridge.process.pid
        url = f"{bridge.url}/twilio/voice"
        await _post_stream(url, 4 << 20, {})  # warm-up: one-time allocations on the refusal path
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset the peak RSS counter
        before = _peak_rss_kb(pid)
        started = time.monotonic()
        unsigned = await _post_stream(url, 200 << 20, {})
        declared = await _post_stream(url, 200 << 20, {"X-Twilio-Signature": "x", "Content-Length": str(200 << 20)})
        refused_in = time.monotonic() - started
        growth_mb = (_peak_rss_kb(pid) - before) / 1024
        assert unsigned in (403, None) and declared in (413, None)
        assert growth_mb < 20, growth_mb
        assert refused_in < 5, refused_in  # refused at once, not after reading 200 MB

        # 300 idle connections: half send nothing, half stop half-way through a request head.
        sockets = []
        for n in range(300):
            reader, writer = await asyncio.open_connection("127.0.0.1", int(bridge.url.rsplit(":", 1)[1]))
            if n % 2:
                writer.write(b"POST /twilio/voice HTTP/1.1\r\nHost: x\r\nContent-Le")
            sockets.append((reader, writer))
        opened = time.monotonic()
        latencies = []
        async with httpx.AsyncClient(timeout=5) as http:
            while time.monotonic() - opened < 1.5:
                t0 = time.perf_counter()
                assert (await http.get(bridge.url + "/healthz")).status_code == 200
                latencies.append(time.perf_counter() - t0)
                await asyncio.sleep(0.05)
        closed = await asyncio.wait_for(asyncio.gather(*(reader.read() for reader, _ in sockets)), 10)
        closed_after = time.monotonic() - opened
        for _, writer in sockets:
            writer.close()
        assert len(closed) == 300 and closed_after < 2 + 1.5, closed_after
        print(sorted(round(x * 1000, 1) for x in latencies))
        assert max(latencies) < 0.05, latencies
        log = bridge.log.read_text()
    print(json.dumps({"post_200mb_rss_growth_mb": round(growth_mb, 1), "idle_closed_after_s": round(closed_after, 2),
                      "healthz_max_ms": round(max(latencies) * 1000, 1)}))  # fmt: skip
    assert "Traceback" not in log


async def test_access_log_lines_carry_no_credentials(tmp_path: Path, fake_twilio: FakeTwilio) -> None:
    import websockets

    async with bridge_process(tmp_path, fake_twilio.url, grace_s=5, EXOTEL_TOKEN=EXOTEL_TOKEN) as bridge:
        ws_url = "ws" + bridge.url.removeprefix("http") + f"/exotel/media?token={EXOTEL_TOKEN}&sample-rate=8000"
        async with websockets.connect(ws_url) as ws:
            await ws.send(json.dumps({"event": "connected"}))
        await bridge.get(f"/healthz?token={EXOTEL_TOKEN}&password=hunter2")
        await asyncio.sleep(0.3)
        log = bridge.log.read_text()
    assert "/exotel/media?token=[redacted]&sample-rate=8000" in log
    assert EXOTEL_TOKEN not in log and "hunter2" not in log


# --- the database under a running bridge ------------------------------------------------------------


async def _ready(bridge: BridgeUnderTest) -> tuple[int, dict[str, Any]]:
    async with httpx.AsyncClient(timeout=10) as http:
        response = await http.get(bridge.url + "/readyz")
    return response.status_code, response.json()


async def _finished_call(bridge: BridgeUnderTest) -> str:
    ws, call_sid, stream_sid = await started_stream(bridge)
    await ws.send(json.dumps({"event": "dtmf", "streamSid": stream_sid, "dtmf": {"digit": "2"}}))
    assert await close_code(ws, timeout=30) == 1000
    return call_sid


def _spooled_metric(metrics: str) -> float:
    for line in metrics.splitlines():
        if line.startswith("bridge_spooled_records "):
            return float(line.split()[1])
    raise AssertionError("no spool metric")


async def _outage_then_recovery(bridge: BridgeUnderTest, down: Any, up: Any) -> None:
    """Cut the database: unready, a call finishes into the spool; restore it: written back unprompted."""
    assert (await _ready(bridge))[0] == 200
    down()
    status, body = await _ready(bridge)
    assert status == 503 and body["database"] is False and body["problems"]["database"]
    call_sid = await _finished_call(bridge)
    store = bridge.runtime.records
    await _until(lambda: asyncio.to_thread(lambda: bridge.runtime.waiting >= 1))
    status, body = await _ready(bridge)
    assert status == 503 and body["spool_empty"] is False
    await _until(lambda: _has_spool_metric(bridge))
    up()  # no new call from here on: the background flush must write it
    await _until(lambda: _ready_again(bridge), timeout=30)
    record = await asyncio.to_thread(store.get, call_sid)
    assert record is not None and record["outcome"] == "not_eligible" and record["ended_at"]
    assert _spooled_metric(await bridge.metrics()) == 0


async def _has_spool_metric(bridge: BridgeUnderTest) -> bool:
    return _spooled_metric(await bridge.metrics()) >= 1


async def _ready_again(bridge: BridgeUnderTest) -> bool:
    return (await _ready(bridge))[0] == 200


async def test_a_deleted_sqlite_database_makes_the_bridge_unready_and_spooled_records_return_when_restored(
    engine: SpeechEngine, tmp_path: Path, fake_twilio: FakeTwilio
) -> None:
    db = tmp_path / "records.db"
    backup = tmp_path / "backup.db"
    async with running_bridge(engine, db, fake_twilio.url, heartbeat_s=0.5, orphan_after_s=5) as bridge:

        def delete() -> None:
            with sqlite3.connect(db) as source, sqlite3.connect(backup) as target:
                source.backup(target)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)

        def restore() -> None:
            shutil.copy(backup, db)
            os.chmod(db, 0o600)

        await _outage_then_recovery(bridge, delete, restore)


async def test_a_full_disk_keeps_the_record_in_memory_until_the_database_takes_it(
    engine: SpeechEngine, tmp_path: Path, fake_twilio: FakeTwilio
) -> None:
    """Database gone and the spool's disk full (/dev/full answers every write with ENOSPC): the finished
    call is held in memory, the bridge is unready, and the record is written once the database is back."""
    db = tmp_path / "records.db"
    backup = tmp_path / "backup.db"
    async with running_bridge(engine, db, fake_twilio.url, heartbeat_s=0.5, orphan_after_s=5) as bridge:
        spool = bridge.runtime.records._spool.path
        spool.parent.mkdir(parents=True, exist_ok=True)
        spool.unlink(missing_ok=True)
        spool.symlink_to("/dev/full")

        def delete() -> None:
            with sqlite3.connect(db) as source, sqlite3.connect(backup) as target:
                source.backup(target)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)

        await _outage_then_recovery(bridge, delete, lambda: shutil.copy(backup, db))
        assert bridge.runtime.unsaved == []


@pytest.mark.postgres
async def test_a_postgres_outage_makes_the_bridge_unready_and_spooled_records_return_after_it(
    engine: SpeechEngine,
    tmp_path: Path,
    fake_twilio: FakeTwilio,
    pg_url: str,  # noqa: F811
) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(pg_url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    proxy.up()
    through_proxy = url.set(port=proxy.port).render_as_string(hide_password=False)
    try:
        async with running_bridge(
            engine, tmp_path / "unused.db", fake_twilio.url, db_url=through_proxy, heartbeat_s=0.5, orphan_after_s=5
        ) as bridge:
            await _outage_then_recovery(bridge, proxy.down, proxy.up)
    finally:
        proxy.down()


@pytest.mark.postgres
async def test_a_read_only_postgres_database_makes_the_bridge_unready_until_it_is_writable(
    engine: SpeechEngine,
    tmp_path: Path,
    fake_twilio: FakeTwilio,
    pg_url: str,  # noqa: F811
) -> None:
    """`SELECT 1` still works on a read-only database; readiness writes, so it tells the truth."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(pg_url)
    admin = url.set(database="postgres").render_as_string(hide_password=False)

    def read_only(on: bool) -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            setting = "SET default_transaction_read_only = on" if on else "RESET default_transaction_read_only"
            connection.execute(f'ALTER DATABASE "{url.database}" {setting}')
            connection.execute(  # sessions pick the setting up when they reconnect
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (url.database,)
            )

    async with running_bridge(
        engine, tmp_path / "unused.db", fake_twilio.url, db_url=pg_url, heartbeat_s=0.5, orphan_after_s=5
    ) as bridge:
        await _outage_then_recovery(bridge, lambda: read_only(True), lambda: read_only(False))
        assert await asyncio.to_thread(bridge.runtime.records.ping)  # reads worked all along
