"""Start-up work that only a PyInstaller build needs: seed the user's prompt cache from the bundled one.

The build renders every prompt sentence into `prompt-cache/` inside the app. The prompt cache itself
reads and writes one directory (core/speech/settings.py), and the app folder may be read-only, so on
start the bundled files that the user cache lacks are copied there once: the first call then speaks
without loading Piper. Runs as a PyInstaller runtime hook (build.spec), before app/__main__.py.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

BUNDLED_CACHE = "prompt-cache"


def bundle_dir() -> Path | None:
    """The frozen app's data folder (`_internal/`), or None when running from source."""
    root = getattr(sys, "_MEIPASS", None)
    return Path(root) if root is not None and getattr(sys, "frozen", False) else None


def seed_prompt_cache(bundled: Path, target: Path) -> int:
    """Copy the bundled sentence WAVs that `target` lacks; returns how many. Never overwrites a file."""
    if not bundled.is_dir():
        return 0
    copied = 0
    for source in bundled.glob("*.wav"):
        destination = target / source.name
        if destination.exists():
            continue
        target.mkdir(parents=True, exist_ok=True)
        partial = destination.with_suffix(".part")
        shutil.copyfile(source, partial)
        os.replace(partial, destination)  # atomic: a crash never leaves half a WAV under the real name
        copied += 1
    return copied


def prepare() -> None:
    """Frozen only: seed the prompt cache, unless $QUICKRUPEE_CACHE_DIR chose one (the build renders into it)."""
    root = bundle_dir()
    if root is None:
        return
    from core.speech.settings import CACHE_DIR_ENV, SpeechSettings

    if os.environ.get(CACHE_DIR_ENV):
        return
    try:
        seed_prompt_cache(root / BUNDLED_CACHE, SpeechSettings().prompt_cache_dir())
    except OSError as exc:  # a read-only or full home: prompts are then rendered on demand, as from source
        print(f"warning: prompt cache not seeded: {exc}", file=sys.stderr)
