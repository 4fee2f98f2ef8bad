"""`python -m app --bridge` as a real process: runs with PySide6 unimportable, drains calls on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.call_sim import HangUp, Press, Say, TwilioCaller
from core.audio import AudioFrame
from core.records import RecordStore
from tests.bridge.harness import ACCOUNT_SID, AUTH_TOKEN, OPS_TOKEN, FakeTwilio, loopback_socket

REPO = Path(__file__).resolve().parents[2]
NO_QT_LAUNCHER = (
    "import sys; sys.modules['PySide6'] = None  # any `import PySide6` now raises ImportError\n"
    "from app.__main__ import main; sys.exit(main(sys.argv[1:]))"
)


@dataclass
class BridgeProcess:
    url: str
    process: asyncio.subprocess.Process
    db_url: str
    log: Path

    async def get(self, path: str) -> httpx.Response:
        async with httpx.AsyncClient(timeout=5) as http:
            return await http.get(self.url + path, headers={"Authorization": f"Bearer {OPS_TOKEN}"})


@asynccontextmanager
async def bridge_process(
    tmp_path: Path, twilio_api: str, grace_s: float, **extra_env: str
) -> AsyncIterator[BridgeProcess]:
    """A bridge process on the records file in `tmp_path` (a second one there finds the first's records)."""
    sock, port = loopback_socket()
    sock.close()  # the child binds it
    db_url = f"sqlite:///{tmp_path / 'records.db'}"
    env = {
        **os.environ,
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_API_BASE_URL": twilio_api,
        "BRIDGE_API_TOKEN": OPS_TOKEN,
        "QUICKRUPEE_DB_URL": db_url,
        "QUICKRUPEE_SPOOL_DIR": str(tmp_path / "spool"),
        **extra_env,
    }
    log = tmp_path / "bridge.log"
    with log.open("ab") as sink:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", NO_QT_LAUNCHER, "--bridge", "--port", str(port), "--grace", str(grace_s),
            cwd=REPO, env=env, stdout=sink, stderr=subprocess.STDOUT,
        )  # fmt: skip
    running = BridgeProcess(f"http://127.0.0.1:{port}", process, db_url, log)
    try:
        for _ in range(600):
            if process.returncode is not None:
                raise AssertionError(f"bridge exited during start-up:\n{log.read_text()[-3000:]}")
            try:
                if (await running.get("/readyz")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
        else:
            raise AssertionError("bridge never became ready")
        yield running
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def _active_calls(bridge: BridgeProcess) -> float:
    for line in (await bridge.get("/metrics")).text.splitlines():
        if line.startswith('bridge_active_calls{provider="twilio"}'):
            return float(line.split()[-1])
    return 0.0


async def _until(check: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not await check():
            await asyncio.sleep(0.05)


async def test_bridge_runs_without_qt_and_drains_calls_on_sigterm(
    tmp_path: Path, fake_twilio: FakeTwilio, voices: dict[str, AudioFrame]
) -> None:
    """SIGTERM mid-call: unready at once, new calls refused, the call in progress finishes and is recorded."""
    async with bridge_process(tmp_path, fake_twilio.url, grace_s=60) as bridge:
        assert (await bridge.get("/healthz")).json() == {"status": "ok"}
        caller = TwilioCaller(bridge.url, AUTH_TOKEN)
        call = asyncio.create_task(caller.run([Press("1"), Press("45000#"), Say(voices["Mumbai."])]))
        await _until(lambda: _active_calls_at_least(bridge, 1))

        bridge.process.send_signal(signal.SIGTERM)
        await _until(lambda: _status_is(bridge, "/readyz", 503))
        readiness = (await bridge.get("/readyz")).json()
        assert readiness["accepting_calls"] is False and readiness["engine"] is True
        late = TwilioCaller(bridge.url, AUTH_TOKEN)
        async with httpx.AsyncClient(timeout=5) as http:
            try:
                await late.dial(http)
            except RuntimeError as refused:
                assert "<Hangup" in str(refused) and "<Connect" not in str(refused)
            else:
                raise AssertionError("a new call was connected while draining")

        result = await call
        assert result.ended_by == "server" and result.close_code == 1000
        assert await asyncio.wait_for(bridge.process.wait(), 15) == 0
    with RecordStore.open(bridge.db_url) as store:
        record = store.get(caller.call_sid)
    assert record is not None and record["outcome"] == "eligible"
    assert [sid for sid, _ in fake_twilio.hangups] == [caller.call_sid]
    log = bridge.log.read_text()
    assert "PySide6" not in log and "Traceback" not in log


async def test_calls_still_open_after_the_grace_period_are_closed_and_recorded(
    tmp_path: Path, fake_twilio: FakeTwilio
) -> None:
    async with bridge_process(tmp_path, fake_twilio.url, grace_s=1.0) as bridge:
        caller = TwilioCaller(bridge.url, AUTH_TOKEN)
        # answers the first question, then stays silent on the line while the bridge shuts down
        call = asyncio.create_task(caller.run([Press("1"), HangUp(after_s=60)]))
        await _until(lambda: _answered(caller), timeout=20)
        bridge.process.send_signal(signal.SIGTERM)
        result = await asyncio.wait_for(call, 15)
        assert result.ended_by == "server" and result.close_code == 1001
        assert await asyncio.wait_for(bridge.process.wait(), 15) == 0
    with RecordStore.open(bridge.db_url) as store:
        record = store.get(caller.call_sid)
    assert record is not None and record["outcome"] == "incomplete"
    assert record["answers"]["employment"] == "salaried" and "ended: shutdown" in record["notes"]
    assert fake_twilio.hangups == []  # the TwiML fallback apologises and hangs up


async def _active_calls_at_least(bridge: BridgeProcess, count: int) -> bool:
    return await _active_calls(bridge) >= count


async def _status_is(bridge: BridgeProcess, path: str, status: int) -> bool:
    return (await bridge.get(path)).status_code == status


async def _answered(caller: TwilioCaller) -> bool:
    """The bridge moved past the first question (the salary prompt is playing)."""
    return len(caller.result.latencies_s) >= 1
