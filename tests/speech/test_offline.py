"""The offline guarantee: a whole spoken call with no network namespace and every socket watched.

Runs `simulate --audio` under `unshare -n` (no network at all) with a sitecustomize that records any
socket use other than AF_UNIX or loopback, and a fresh HOME, then checks onnxruntime's telemetry
folder (~/.cache/Microsoft) was never created.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.audio import write_wav
from tests.speech.conftest import Say

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]

SOCKET_GUARD = """
import os, socket
_LOG = os.environ["SOCKET_GUARD_LOG"]
def _outside(family, address):
    if family == socket.AF_UNIX:
        return False
    host = address[0] if isinstance(address, tuple) else address
    return host not in ("127.0.0.1", "::1", "localhost")
def _refuse(what, family, address):
    with open(_LOG, "a") as log:
        log.write(f"{what} {family} {address}\\n")
    raise OSError(f"network use blocked by the offline test: {what} {address}")
_connect, _connect_ex, _sendto = socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto
def connect(self, address):
    if _outside(self.family, address):
        _refuse("connect", self.family, address)
    return _connect(self, address)
def connect_ex(self, address):
    if _outside(self.family, address):
        _refuse("connect_ex", self.family, address)
    return _connect_ex(self, address)
def sendto(self, data, *args):
    if _outside(self.family, args[-1]):
        _refuse("sendto", self.family, args[-1])
    return _sendto(self, data, *args)
_getaddrinfo = socket.getaddrinfo
def getaddrinfo(host, *args, **kwargs):
    if host not in (None, "127.0.0.1", "::1", "localhost"):
        _refuse("getaddrinfo", None, host)
    return _getaddrinfo(host, *args, **kwargs)
socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto = connect, connect_ex, sendto
socket.getaddrinfo = getaddrinfo
"""


def test_a_spoken_call_runs_with_no_network(tmp_path: Path, piper_say: Say, speech_cache_dir: Path) -> None:
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-n", "true"]).returncode != 0:
        pytest.fail("unshare -n is needed for the offline guarantee test (run as root or with user namespaces)")
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(SOCKET_GUARD)
    log = tmp_path / "sockets.log"
    home = tmp_path / "home"
    home.mkdir()
    wavs = []
    for index, text in enumerate(("Yes.", "Forty thousand rupees.", "Mumbai.")):
        wavs.append(tmp_path / f"{index}.wav")
        write_wav(wavs[-1], piper_say(text))
    env = {
        key: value for key, value in os.environ.items() if key not in ("ORT_DISABLE_TELEMETRY", "HF_HUB_OFFLINE")
    }  # the app must set these itself
    env.update(
        HOME=str(home),
        PYTHONPATH=str(guard),
        SOCKET_GUARD_LOG=str(log),
        QUICKRUPEE_CACHE_DIR=str(speech_cache_dir),
        XDG_CACHE_HOME=str(home / ".cache"),
    )
    done = subprocess.run(
        ["unshare", "-n", sys.executable, "-m", "app", "simulate", "--json", "--audio", *map(str, wavs)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["outcome"] == "eligible"
    assert not log.exists(), log.read_text()
    assert not (home / ".cache" / "Microsoft").exists()
