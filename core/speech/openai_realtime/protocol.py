"""GA Realtime wire format: the client events this engine sends, built as JSON text in one place."""

from __future__ import annotations

import json
from typing import Any, Literal

from core.speech.openai_realtime.settings import RealtimeSettings

InputFormat = Literal["audio/pcm", "audio/pcmu"]
ServerEvent = dict[str, Any]

PCM_RATE = 24_000
"""GA `audio/pcm` is 16-bit mono at 24 kHz only."""
PCMU_RATE = 8_000


def audio_format(fmt: InputFormat) -> dict[str, Any]:
    """The GA format object: `audio/pcm` carries its rate, `audio/pcmu` has none."""
    return {"type": "audio/pcm", "rate": PCM_RATE} if fmt == "audio/pcm" else {"type": "audio/pcmu"}


def transcription_session(
    settings: RealtimeSettings, fmt: InputFormat, prompt: str, silence_ms: int = 500
) -> dict[str, Any]:
    """A `session.update` for a transcription-only session: format, VAD, model, language, prompt."""
    transcription: dict[str, Any] = {"model": settings.transcribe_model, "language": settings.language}
    if prompt:
        transcription["prompt"] = prompt
    audio_input: dict[str, Any] = {
        "format": audio_format(fmt),
        "transcription": transcription,
        "turn_detection": turn_detection(settings, silence_ms),
        "noise_reduction": None if settings.noise_reduction == "off" else {"type": settings.noise_reduction},
    }
    return {
        "type": "session.update",
        "session": {
            "type": "transcription",
            "audio": {"input": audio_input},
            "include": ["item.input_audio_transcription.logprobs"],
        },
    }


def turn_detection(settings: RealtimeSettings, silence_ms: int) -> dict[str, Any]:
    """Server or semantic VAD; events only (a transcription session never creates responses)."""
    if settings.turn_detection == "semantic_vad":
        return {"type": "semantic_vad", "eagerness": settings.eagerness}
    return {
        "type": "server_vad",
        "threshold": settings.vad_threshold,
        "prefix_padding_ms": settings.prefix_padding_ms,
        "silence_duration_ms": settings.silence_duration_ms or silence_ms,
    }


def prompt_update(settings: RealtimeSettings, prompt: str) -> dict[str, Any]:
    """Change only the transcription prompt (the next question's vocabulary)."""
    return {
        "type": "session.update",
        "session": {
            "type": "transcription",
            "audio": {
                "input": {
                    "transcription": {
                        "model": settings.transcribe_model,
                        "language": settings.language,
                        "prompt": prompt,
                    }
                }
            },
        },
    }


def append(audio_b64: str) -> str:
    """`input_audio_buffer.append` as text; base64 needs no JSON escaping, so no encoder pass."""
    return '{"type":"input_audio_buffer.append","audio":"' + audio_b64 + '"}'


def voice_session(settings: RealtimeSettings, fmt: InputFormat) -> dict[str, Any]:
    """A conversation session used only as a voice: no VAD, no automatic responses, audio out."""
    return {
        "type": "session.update",
        "session": {
            "type": "realtime",
            "model": settings.voice_model,
            "output_modalities": ["audio"],
            "instructions": "You are a voice. Read aloud exactly the text you are given, nothing else.",
            "audio": {
                "input": {"format": audio_format(fmt), "turn_detection": None},
                "output": {"format": audio_format(fmt), "voice": settings.voice},
            },
        },
    }


def say_exactly(text: str, request_id: str) -> dict[str, Any]:
    """An out-of-band response that reads `text` verbatim, kept out of the conversation."""
    return {
        "type": "response.create",
        "response": {
            "conversation": "none",
            "input": [],
            "output_modalities": ["audio"],
            "instructions": "Say exactly the following text, word for word, and nothing else:\n" + text,
            "metadata": {"request_id": request_id},
        },
    }


def dumps(event: dict[str, Any]) -> str:
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False)


def error_summary(event: ServerEvent) -> str:
    """`type/code: message` of an `error` event, for notes and exceptions."""
    error = event.get("error") or {}
    return f"{error.get('type', 'error')}/{error.get('code') or '-'}: {error.get('message', '')}"
