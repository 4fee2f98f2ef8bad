"""`pip install .` gives a working app: the wheel carries resources/ and the migrations, a server install
needs no Qt (extras `kiosk` and `bridge`), and the installed console script simulates a call and serves one.

The wheel is built from a copy of the tracked files (so the worktree stays clean) and installed with pip
into a fresh venv. Its dependencies come from the development venv through a .pth line added after the
install (no multi-gigabyte download); a `PySide6` stub that refuses to import stands in for "not installed".
"""

from __future__ import annotations

import asyncio
import email.parser
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench.call_sim import Press, TwilioCaller
from tests.bridge.conftest import fake_twilio  # noqa: F401  (fixture)
from tests.bridge.harness import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio, loopback_socket

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("wheel")
    source = root / "src"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(root / "dist"), str(source)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if built.returncode != 0 and "Could not find a version that satisfies" in built.stderr:
        pytest.skip(f"no package index to fetch the build backend: {built.stderr[-300:]}")
    assert built.returncode == 0, built.stderr[-2000:]
    (found,) = (root / "dist").glob("quickrupee_voice-*.whl")
    return found


def test_the_wheel_carries_resources_and_migrations_and_keeps_qt_out_of_a_server_install(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (metadata_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = email.parser.Parser().parsestr(archive.read(metadata_name).decode())
    for needed in ("resources/policy.json", "resources/prompts.json", "resources/styles/kiosk.qss",
                   "core/records/migrations/script.py.mako",
                   "core/records/migrations/versions/0003_open_records_and_instances.py"):  # fmt: skip
        assert needed in names, needed
    assert not any(name.startswith(("tests/", "bench/")) for name in names)
    requires = metadata.get_all("Requires-Dist") or []
    base = [r for r in requires if "extra ==" not in r]
    assert not any(r.startswith(("PySide6", "qasync", "sounddevice", "livekit", "fastapi", "uvicorn")) for r in base)
    assert any(r.startswith("PySide6") and 'extra == "kiosk"' in r for r in requires)
    assert any(r.startswith("fastapi") and 'extra == "bridge"' in r for r in requires)
    assert "websockets>=13" in base
    assert {"kiosk", "bridge"} <= set(metadata.get_all("Provides-Extra") or [])


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh venv with the wheel installed by pip; dependencies visible, PySide6 refused."""
    root = tmp_path_factory.mktemp("venv") / "venv"
    venv.EnvBuilder(with_pip=True).create(root)
    python = root / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True)
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    )  # fmt: skip
    (site / "PySide6").mkdir()
    (site / "PySide6" / "__init__.py").write_text("raise ImportError('Qt is not installed on this server')\n")
    (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    yield root


def _env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "QUICKRUPEE_DB_URL")}
    return env


def test_the_installed_app_simulates_a_call_from_any_folder(installed: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(installed / "bin" / "quickrupee"), "simulate", "--json", "--no-record"],
        input="yes\n45000\nMumbai\n", capture_output=True, text=True, cwd=tmp_path, env=_env(), timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    result = __import__("json").loads(done.stdout.strip().splitlines()[-1])
    assert result["outcome"] == "eligible" and result["policy_version"]
    where = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import core, bridge; print(core.__file__, bridge.__file__)"],
        capture_output=True, text=True, cwd=tmp_path, env=_env(), check=True,
    ).stdout  # fmt: skip
    assert str(REPO) not in where and str(installed) in where  # the wheel's code, not the checkout's


async def test_the_installed_bridge_serves_a_call_without_qt(
    installed: Path,
    tmp_path: Path,
    fake_twilio: FakeTwilio,  # noqa: F811
) -> None:
    sock, port = loopback_socket()
    sock.close()
    env = _env() | {
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}", "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_API_BASE_URL": fake_twilio.url,
        "QUICKRUPEE_DB_URL": f"sqlite:///{tmp_path / 'records.db'}", "QUICKRUPEE_SPOOL_DIR": str(tmp_path / "spool"),
    }  # fmt: skip
    log = tmp_path / "bridge.log"
    with log.open("wb") as sink:
        process = await asyncio.create_subprocess_exec(
            str(installed / "bin" / "quickrupee"), "--bridge", "--port", str(port),
            cwd=tmp_path, env=env, stdout=sink, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        async with httpx.AsyncClient(timeout=5) as http:
            for _ in range(600):
                assert process.returncode is None, log.read_text()[-3000:]
                try:
                    if (await http.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise AssertionError("the installed bridge never became ready")
        result = await TwilioCaller(f"http://127.0.0.1:{port}", AUTH_TOKEN).run([Press("2")])
        assert result.error is None and result.ended_by == "server" and result.close_code == 1000
    finally:
        process.terminate()
        await process.wait()
    assert "Traceback" not in log.read_text()
