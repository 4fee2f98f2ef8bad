"""OpenAI Realtime engine settings: read once from the environment, validated, never holding the key."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

DEFAULT_URL = "wss://api.openai.com/v1/realtime"
DEFAULT_TRANSCRIBE_MODEL = "gpt-4o-transcribe"

TurnDetection = Literal["server_vad", "semantic_vad"]
Eagerness = Literal["low", "medium", "high", "auto"]
NoiseReduction = Literal["near_field", "far_field", "off"]
PromptVoiceMode = Literal["cache", "realtime"]
PromptAudio = Literal["native", "pcmu"]


class SettingsError(ValueError):
    """An OPENAI_* setting has a bad value; the message names the variable."""


@dataclass(frozen=True, slots=True)
class RealtimeSettings:
    """How to reach OpenAI and how to configure the transcription session."""

    url: str = DEFAULT_URL
    transcribe_model: str = DEFAULT_TRANSCRIBE_MODEL
    language: str = "en"
    turn_detection: TurnDetection = "server_vad"
    vad_threshold: float = 0.5
    prefix_padding_ms: int = 300
    silence_duration_ms: int | None = None
    """Server VAD end-of-turn silence; None uses the session's TurnSettings.end_of_turn_silence."""
    eagerness: Eagerness = "auto"
    noise_reduction: NoiseReduction = "off"
    connect_timeout_s: float = 5.0
    transcript_timeout_s: float = 6.0
    """After the caller stops speaking, how long to wait for the transcript before failing over."""
    reconnect_attempts: int = 2
    backoff_s: float = 0.25
    session_max_s: float = 55 * 60
    """Reconnect between turns before OpenAI's 60-minute session limit closes the socket."""
    voice_mode: PromptVoiceMode = "cache"
    prompt_audio: PromptAudio = "native"
    """"pcmu": prompts cached as 8 kHz μ-law, for a bridge process (calls never resample a prompt)."""
    voice_model: str = "gpt-realtime"
    voice: str = "marin"

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("ws", "wss") or not parts.netloc:
            raise SettingsError(f"OPENAI_REALTIME_URL must be a ws:// or wss:// URL, got {self.url!r}")
        if not 0.0 <= self.vad_threshold <= 1.0:
            raise SettingsError(f"OPENAI_VAD_THRESHOLD must be within 0..1, got {self.vad_threshold}")
        limits = (("OPENAI_SILENCE_MS", self.silence_duration_ms), ("OPENAI_PREFIX_MS", self.prefix_padding_ms))
        for name, value in limits:
            if value is not None and not 0 <= value <= 10_000:
                raise SettingsError(f"{name} must be within 0..10000 ms, got {value}")
        if self.connect_timeout_s <= 0 or self.transcript_timeout_s <= 0:
            raise SettingsError("OpenAI timeouts must be positive")
        if self.transcribe_model == "gpt-realtime-whisper":
            raise SettingsError(
                "OPENAI_TRANSCRIBE_MODEL gpt-realtime-whisper takes no VAD and no prompt, which this engine needs; "
                "use gpt-4o-transcribe or gpt-4o-mini-transcribe"
            )
        if self.reconnect_attempts < 0:
            raise SettingsError("OPENAI_RECONNECT_ATTEMPTS must not be negative")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RealtimeSettings:
        """Settings from OPENAI_* variables; unset ones keep their defaults."""
        env = os.environ if env is None else env
        fields: dict[str, object] = {}
        for var, field_name, convert in _ENV_FIELDS:
            raw = env.get(var)
            if raw is None or raw == "":
                continue
            try:
                fields[field_name] = convert(raw)
            except ValueError as exc:
                raise SettingsError(f"{var}: {exc}") from None
        return cls(**fields)  # type: ignore[arg-type]  # each converter yields its field's type


def _choice(*allowed: str) -> Callable[[str], str]:
    def convert(raw: str) -> str:
        if raw not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}, got {raw!r}")
        return raw

    return convert


_ENV_FIELDS = (
    ("OPENAI_REALTIME_URL", "url", str),
    ("OPENAI_TRANSCRIBE_MODEL", "transcribe_model", str),
    ("OPENAI_TRANSCRIBE_LANGUAGE", "language", str),
    ("OPENAI_TURN_DETECTION", "turn_detection", _choice("server_vad", "semantic_vad")),
    ("OPENAI_VAD_THRESHOLD", "vad_threshold", float),
    ("OPENAI_PREFIX_MS", "prefix_padding_ms", int),
    ("OPENAI_SILENCE_MS", "silence_duration_ms", int),
    ("OPENAI_VAD_EAGERNESS", "eagerness", _choice("low", "medium", "high", "auto")),
    ("OPENAI_NOISE_REDUCTION", "noise_reduction", _choice("near_field", "far_field", "off")),
    ("OPENAI_CONNECT_TIMEOUT", "connect_timeout_s", float),
    ("OPENAI_TRANSCRIPT_TIMEOUT", "transcript_timeout_s", float),
    ("OPENAI_RECONNECT_ATTEMPTS", "reconnect_attempts", int),
    ("OPENAI_PROMPT_VOICE", "voice_mode", _choice("cache", "realtime")),
    ("OPENAI_PROMPT_AUDIO", "prompt_audio", _choice("native", "pcmu")),
    ("OPENAI_VOICE_MODEL", "voice_model", str),
    ("OPENAI_VOICE", "voice", str),
)
