"""AudioFrame, WAV reading of every format callers' files come in, and stream resampling."""

from __future__ import annotations

import struct
import warnings
import wave
from pathlib import Path

import numpy as np
import pytest

from core.audio import AudioError, AudioFrame, StreamResampler, concat, read_wav, resample, split, write_stereo_wav


def tone(seconds: float = 0.5, rate: int = 16000, hz: float = 440.0, level: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return level * np.sin(2 * np.pi * hz * t)


def write_raw_wav(path: Path, payload: bytes, *, tag: int, channels: int, rate: int, bits: int) -> Path:
    """A WAV with any format tag (the stdlib writer only does PCM)."""
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(payload)) + payload
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


def test_frame_duration_and_validation() -> None:
    frame = AudioFrame(np.zeros(8000, np.int16), 16000)
    assert frame.duration == 0.5
    with pytest.raises(AudioError):
        AudioFrame(np.zeros(10, np.float32), 16000)
    with pytest.raises(AudioError):
        AudioFrame(np.zeros((10, 2), np.int16), 16000)


@pytest.mark.parametrize("bits", [8, 16, 24, 32])
def test_pcm_wavs_of_every_width_read_alike(tmp_path: Path, bits: int) -> None:
    signal = tone()
    if bits == 8:
        payload = np.round(signal * 127 + 128).astype(np.uint8).tobytes()
    elif bits == 24:
        ints = np.round(signal * (2**23 - 1)).astype(np.int32)
        payload = b"".join(int(v).to_bytes(3, "little", signed=True) for v in ints)
    else:
        dtype = {16: "<i2", 32: "<i4"}[bits]
        payload = np.round(signal * (2 ** (bits - 1) - 1)).astype(dtype).tobytes()
    frame = read_wav(write_raw_wav(tmp_path / "a.wav", payload, tag=1, channels=1, rate=16000, bits=bits))
    assert frame.sample_rate == 16000 and len(frame) == len(signal)
    assert np.abs(frame.to_float32() - signal).max() < (0.01 if bits == 8 else 1e-3)


def test_float_and_mulaw_and_alaw(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import audioop  # stdlib in 3.11: the reference G.711 codec

    signal = tone(rate=8000)
    pcm = np.round(signal * 32767).astype("<i2").tobytes()
    floats = read_wav(
        write_raw_wav(tmp_path / "f.wav", signal.astype("<f4").tobytes(), tag=3, channels=1, rate=8000, bits=32)
    )
    mulaw = read_wav(write_raw_wav(tmp_path / "u.wav", audioop.lin2ulaw(pcm, 2), tag=7, channels=1, rate=8000, bits=8))
    alaw = read_wav(write_raw_wav(tmp_path / "a.wav", audioop.lin2alaw(pcm, 2), tag=6, channels=1, rate=8000, bits=8))
    assert np.abs(floats.to_float32() - signal).max() < 1e-4
    for decoded, reference in (
        (mulaw, audioop.ulaw2lin(audioop.lin2ulaw(pcm, 2), 2)),
        (alaw, audioop.alaw2lin(audioop.lin2alaw(pcm, 2), 2)),
    ):
        expected = np.frombuffer(reference, "<i2")
        assert np.abs(decoded.samples.astype(int) - expected).max() <= 1


def test_stereo_is_averaged_to_mono(tmp_path: Path) -> None:
    left, right = tone(level=0.4), np.zeros(8000)
    both = np.stack([left, right], axis=1).reshape(-1)
    payload = np.round(both * 32767).astype("<i2").tobytes()
    frame = read_wav(write_raw_wav(tmp_path / "s.wav", payload, tag=1, channels=2, rate=16000, bits=16))
    assert len(frame) == 8000
    assert np.abs(frame.to_float32() - left / 2).max() < 1e-3


def test_unreadable_wavs_give_one_line(tmp_path: Path) -> None:
    (tmp_path / "text.wav").write_text("not audio")
    cases = [
        tmp_path / "missing.wav",
        tmp_path / "text.wav",
        write_raw_wav(tmp_path / "adpcm.wav", b"\0" * 100, tag=2, channels=1, rate=8000, bits=4),
    ]
    for path in cases:
        with pytest.raises(AudioError) as caught:
            read_wav(path)
        message = str(caught.value)
        assert "\n" not in message and str(path) in message


def test_stereo_writer_puts_each_track_on_its_side(tmp_path: Path) -> None:
    left = AudioFrame.from_float(tone(0.2), 16000)
    right = AudioFrame.from_float(tone(0.5, hz=220), 16000)
    write_stereo_wav(tmp_path / "c.wav", left, right)
    with wave.open(str(tmp_path / "c.wav")) as wav:
        assert wav.getnchannels() == 2 and wav.getnframes() == len(right)
        data = np.frombuffer(wav.readframes(wav.getnframes()), "<i2").reshape(-1, 2)
    assert np.array_equal(data[: len(left), 0], left.samples) and not data[len(left) :, 0].any()
    assert np.array_equal(data[:, 1], right.samples)


def test_stream_resampler_matches_one_shot_resampling() -> None:
    clip = AudioFrame.from_float(tone(1.0, rate=8000, hz=300), 8000)
    stream = StreamResampler(8000, 16000)
    pieces = [stream.process(frame) for frame in split(clip, 0.02)]
    pieces.append(stream.process(AudioFrame(np.zeros(0, np.int16), 8000), last=True))
    streamed = concat(pieces)
    whole = resample(clip, 16000)
    assert abs(len(streamed) - len(whole)) <= 2
    middle = slice(1600, 14400)
    assert np.abs(streamed.samples[middle].astype(int) - whole.samples[middle].astype(int)).max() < 200


def test_stream_resampler_rejects_the_wrong_rate() -> None:
    with pytest.raises(AudioError, match="expects 8000 Hz"):
        StreamResampler(8000, 16000).process(AudioFrame(np.zeros(160, np.int16), 16000))
