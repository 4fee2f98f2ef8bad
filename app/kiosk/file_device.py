"""A file-backed audio device for demos and tests: WAV answers as the visitor, prompts recorded to a WAV.

Each answer is "spoken" after the bot's next prompt has finished playing; between answers the
microphone hears silence. Prompts "play" in real time (or `speed` times faster), so the window shows
the conversation as a visitor would see it.
"""

from __future__ import annotations

import asyncio
import queue
import time
from collections import deque
from pathlib import Path

import numpy as np

from app.kiosk.audio_port import MicFrame, PlaybackDrained, PlaybackStarted, PortEvent, rms_of
from core.audio import AudioFrame, read_wav, resample, write_wav

FRAME_SECONDS = 0.02
LEAD_IN_SECONDS = 0.4
"""Silence between the end of a prompt and the visitor's answer, as a person would pause."""


class FileAudioPort:
    """Implements AudioPort from WAV files; runs as a task on the event loop (no audio thread)."""

    def __init__(self, answers: list[Path], output: Path | None = None, *, rate: int = 16000, speed: float = 1.0):
        self.input_rate = self.output_rate = rate
        self._answers = deque(resample(read_wav(path), rate).samples for path in answers)
        self._output = output
        self._speed = speed
        self._played: list[np.ndarray] = []
        self._events: queue.SimpleQueue[PortEvent] = queue.SimpleQueue()
        self._speaking: deque[np.ndarray] = deque()
        self._play_until = 0.0
        self._pending_drain: int | None = None
        self._started: set[int] = set()
        self._task: asyncio.Task[None] | None = None

    def open(self) -> None:
        self._task = asyncio.ensure_future(self._feed())

    def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self._output is not None:
            samples = np.concatenate(self._played) if self._played else np.zeros(0, np.int16)
            write_wav(self._output, AudioFrame(samples.astype(np.int16), self.output_rate))

    def play(self, chunk: AudioFrame, prompt_id: int, *, last: bool) -> None:
        now = time.monotonic()
        if len(chunk):
            if prompt_id not in self._started:
                self._started.add(prompt_id)
                self._events.put(PlaybackStarted(prompt_id))
            self._played.append(chunk.samples)
            self._play_until = max(now, self._play_until) + chunk.duration / self._speed
        if last:
            self._pending_drain = prompt_id

    def flush(self) -> None:
        self._play_until = time.monotonic()

    def poll(self) -> list[PortEvent]:
        events: list[PortEvent] = []
        while True:
            try:
                events.append(self._events.get_nowait())
            except queue.Empty:
                return events

    async def _feed(self) -> None:
        """Microphone frames at the device rate: the next answer after each prompt, silence otherwise."""
        size = round(FRAME_SECONDS * self.input_rate)
        step = FRAME_SECONDS / self._speed
        next_at = time.monotonic()
        while True:
            self._drain_if_done()
            frame = self._next_frame(size)
            self._events.put(MicFrame(AudioFrame(frame, self.input_rate), rms_of(frame)))
            next_at += step
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))

    def _drain_if_done(self) -> None:
        if self._pending_drain is None or time.monotonic() < self._play_until:
            return
        prompt_id, self._pending_drain = self._pending_drain, None
        self._events.put(PlaybackDrained(prompt_id))
        if self._answers:
            lead_in = np.zeros(round(LEAD_IN_SECONDS * self.input_rate), np.int16)
            self._speaking.extend((lead_in, self._answers.popleft()))

    def _next_frame(self, size: int) -> np.ndarray:
        out = np.zeros(size, np.int16)
        filled = 0
        while filled < size and self._speaking:
            head = self._speaking[0]
            take = min(size - filled, len(head))
            out[filled : filled + take] = head[:take]
            filled += take
            if take == len(head):
                self._speaking.popleft()
            else:
                self._speaking[0] = head[take:]
        return out
