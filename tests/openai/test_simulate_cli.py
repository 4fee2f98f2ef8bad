"""`python -m app simulate --engine openai` against the fake server running as its own process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.audio import write_wav
from tests.openai.conftest import KEY, spoken

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake_process() -> Iterator[str]:
    """`python -m tests.fakes.realtime_server --port 0`; yields its URL. Afterwards the fake must have
    seen only GA-valid events."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.realtime_server", "--port", "0", "--key", KEY],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "listening on ws://" in line, line
        yield line.rsplit(" ", 1)[1].strip()
    finally:
        process.terminate()
        remaining, _ = process.communicate(timeout=30)
    stats = json.loads(remaining.strip().splitlines()[-1])
    assert stats["violations"] == []


def _simulate(url: str, args: list[str], stdin: str = "") -> dict[str, object]:
    env = {**os.environ, "OPENAI_API_KEY": KEY, "OPENAI_REALTIME_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "app", "simulate", "--engine", "openai", "--json", *args],
        cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert KEY not in done.stdout and KEY not in done.stderr
    return json.loads(done.stdout)


def test_spoken_answers_on_openai(fake_process: str, tmp_path: Path) -> None:
    paths = []
    for index, text in enumerate(("Yes, I am salaried.", "Around thirty thousand a month.", "Bangalore.")):
        paths.append(tmp_path / f"answer{index}.wav")
        write_wav(paths[-1], spoken(text, 16000, after_s=0.0))
    result = _simulate(fake_process, ["--audio", *map(str, paths)])
    assert result["outcome"] == "eligible", result
    assert result["answers"] == {"employment": "salaried", "monthly_salary": 30000, "city": "Bangalore"}
    assert result["engine"] == "openai" and result["notes"] == []


def test_typed_answers_with_openai_selected(fake_process: str) -> None:
    result = _simulate(fake_process, [], stdin="no, I run a shop\n")
    assert result["outcome"] == "not_eligible" and result["reasons"] == ["not_salaried"]
