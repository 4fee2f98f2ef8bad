"""Privacy and offline guarantees that must hold before any model library is imported."""

from __future__ import annotations

import os


def enforce_offline_env() -> None:
    """Stop onnxruntime telemetry and Hugging Face hub look-ups; models always load from package paths."""
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
