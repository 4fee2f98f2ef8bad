"""Records the database could not take yet: JSON lines appended and fsynced, replayed when it returns."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

if os.name == "nt":  # pragma: no cover - the kiosk may run on Windows
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def spool_path(folder: Path, url_key: str) -> Path:
    """One spool per database, so records replay into the database they were meant for."""
    digest = hashlib.sha256(url_key.encode()).hexdigest()[:12]
    return folder / f"spool-{digest}.jsonl"


class Spool:
    """An append-only local queue shared safely by every process on this machine (file lock)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __len__(self) -> int:
        if not self.pending():
            return 0
        with self._locked() as handle:
            return sum(1 for line in handle if line.strip())

    def pending(self) -> bool:
        """Cheap check whether anything may be waiting (no lock, no read)."""
        try:
            return self.path.stat().st_size > 0
        except FileNotFoundError:
            return False

    def append(self, record: Mapping[str, Any]) -> None:
        """Queue one record durably: the line is on disk when this returns."""
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        with self._locked() as handle:
            handle.seek(0, os.SEEK_END)
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())

    def drain(self, write: Callable[[dict[str, Any]], None], *, set_aside: type[Exception]) -> int:
        """Hand every queued record to `write`, then empty the spool; if `write` raises, keep it all.

        A record `write` refuses with `set_aside` goes to the .rejected file instead of blocking the rest.
        Writes are upserts, so a record replayed twice after a failure part-way is stored once.
        """
        if not self.pending():
            return 0
        with self._locked() as handle:
            lines = [line for line in handle.read().splitlines() if line.strip()]
            for line in lines:
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:  # torn by a power cut mid-append: keep it aside
                    self._reject(line)
                    continue
                try:
                    write(record)
                except set_aside:
                    self._reject(line)
            handle.seek(0)
            handle.truncate()
            handle.flush()
            os.fsync(handle.fileno())
        return len(lines)

    def _reject(self, line: str) -> None:
        fd = os.open(self.path.with_suffix(".rejected"), os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
        with open(fd, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[IO[str]]:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
        with open(fd, "r+", encoding="utf-8") as handle:
            _lock(handle)
            try:
                yield handle
            finally:
                _unlock(handle)
