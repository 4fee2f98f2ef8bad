"""G.711 μ-law for `audio/pcmu`: phone audio re-encodes to the very bytes the carrier sent.

The bridge decodes Twilio's μ-law into int16 `AudioFrame`s; encoding with this table gives back the
original bytes (only μ-law's "negative zero" becomes positive zero), so audio reaches OpenAI untouched.
"""

from __future__ import annotations

import numpy as np

from core.audio import AudioFrame


def _decode_table() -> np.ndarray:
    codes = ~np.arange(256, dtype=np.int32) & 0xFF
    magnitude = (((codes & 0x0F) << 3) + 0x84) << ((codes >> 4) & 0x07)
    return np.where(codes & 0x80, 0x84 - magnitude, magnitude - 0x84).astype(np.int16)


def _encode_table(decoded: np.ndarray) -> np.ndarray:
    """Every int16 value to its μ-law byte (G.711 segments), exact on the 256 decoded values."""
    value = np.arange(-32768, 32768, dtype=np.int32)
    sign = np.where(value < 0, 0x80, 0)
    magnitude = np.minimum(np.abs(value), 32635) + 0x84
    exponent = np.floor(np.log2(magnitude)).astype(np.int32) - 7
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    table = (~(sign | (exponent << 4) | mantissa) & 0xFF).astype(np.uint8)
    table[table == 0x7F] = 0xFF  # 0x7F and 0xFF both decode to 0: one canonical byte for zero
    for code in range(256):
        if code != 0x7F:
            table[int(decoded[code]) + 32768] = code
    return table


DECODE = _decode_table()
ENCODE = _encode_table(DECODE)


def encode(samples: np.ndarray) -> bytes:
    """int16 samples to μ-law bytes."""
    return ENCODE[samples.astype(np.int32) + 32768].tobytes()


def decode(data: bytes, sample_rate: int = 8000) -> AudioFrame:
    """μ-law bytes to an int16 frame."""
    return AudioFrame(DECODE[np.frombuffer(data, dtype=np.uint8)], sample_rate)
