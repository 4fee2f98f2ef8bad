"""Settings and the API key: clear errors for bad values, and a key that never prints."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from core.speech.engine import EngineUnavailable
from core.speech.openai_realtime import protocol
from core.speech.openai_realtime.engine import create_realtime_engine
from core.speech.openai_realtime.keys import ApiKey, MissingKeyError, find_api_key
from core.speech.openai_realtime.settings import DEFAULT_URL, RealtimeSettings, SettingsError
from tests.openai.conftest import offline_engine

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_are_the_ga_endpoint_and_server_vad() -> None:
    settings = RealtimeSettings.from_env({})
    assert settings.url == DEFAULT_URL == "wss://api.openai.com/v1/realtime"
    update = protocol.transcription_session(settings, "audio/pcmu", "")
    assert update["session"]["audio"]["input"]["turn_detection"]["type"] == "server_vad"
    assert "prompt" not in update["session"]["audio"]["input"]["transcription"]


def test_environment_overrides() -> None:
    env = {"OPENAI_REALTIME_URL": "ws://127.0.0.1:9/v1/realtime", "OPENAI_TURN_DETECTION": "semantic_vad",
           "OPENAI_VAD_EAGERNESS": "high", "OPENAI_TRANSCRIBE_MODEL": "gpt-4o-mini-transcribe",
           "OPENAI_TRANSCRIBE_LANGUAGE": "hi", "OPENAI_SILENCE_MS": "800"}  # fmt: skip
    settings = RealtimeSettings.from_env(env)
    assert (settings.turn_detection, settings.eagerness, settings.language) == ("semantic_vad", "high", "hi")
    assert settings.transcribe_model == "gpt-4o-mini-transcribe" and settings.silence_duration_ms == 800


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"OPENAI_REALTIME_URL": "https://api.openai.com/v1/realtime"}, "OPENAI_REALTIME_URL"),
        ({"OPENAI_TURN_DETECTION": "push_to_talk"}, "OPENAI_TURN_DETECTION"),
        ({"OPENAI_VAD_THRESHOLD": "1.5"}, "OPENAI_VAD_THRESHOLD"),
        ({"OPENAI_SILENCE_MS": "soon"}, "OPENAI_SILENCE_MS"),
        ({"OPENAI_TRANSCRIBE_MODEL": "gpt-realtime-whisper"}, "OPENAI_TRANSCRIBE_MODEL"),
    ],
)
def test_bad_settings_name_the_variable(env: dict[str, str], names: str) -> None:
    with pytest.raises(SettingsError, match=names):
        RealtimeSettings.from_env(env)


class _MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self, secrets: dict[tuple[str, str], str]) -> None:
        super().__init__()
        self.secrets = secrets

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def test_key_from_env_first_then_keyring() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(_MemoryKeyring({("quickrupee-voice", "openai_api_key"): "sk-from-keyring-1234"}))
    try:
        assert find_api_key({"OPENAI_API_KEY": "sk-from-env-5678"}).bearer() == "Bearer sk-from-env-5678"
        assert find_api_key({}).bearer() == "Bearer sk-from-keyring-1234"
        keyring.set_keyring(_MemoryKeyring({}))
        with pytest.raises(MissingKeyError, match="OPENAI_API_KEY"):
            find_api_key({})
    finally:
        keyring.set_keyring(previous)


def test_key_never_prints() -> None:
    key = ApiKey("sk-secret-abcdef123456")
    assert "sk-secret" not in repr(key) and "sk-secret" not in str(key) and "sk-secret" not in f"{key}"
    assert key.redact("token sk-secret-abcdef123456 here") == "token [redacted] here"
    with pytest.raises(TypeError):
        pickle.dumps(key)


def test_engine_without_a_key_is_unavailable_with_one_line() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(_MemoryKeyring({}))
    try:
        loads: list[str] = []
        with pytest.raises(EngineUnavailable, match="no OpenAI API key") as caught:
            create_realtime_engine(lambda: loads.append("offline") or offline_engine(), {"OPENAI_API_KEY": ""})
    finally:
        keyring.set_keyring(previous)
    assert "\n" not in str(caught.value)
    assert loads == []  # failed before loading any model


def test_relay_bench_runs_and_prints_json() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.openai_relay", "--calls", "3", "--seconds", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["calls"] == 3 and result["frames_sent"] == 150 and result["listeners_failed"] == 0
    assert result["cpu_ms_per_call_minute"] > 0 and result["all_audio_delivered"] is True
