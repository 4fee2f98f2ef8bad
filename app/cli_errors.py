"""Command-line failures as one readable line and a non-zero exit, never a traceback."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn


class UsageError(Exception):
    """Bad input from the command line or an input file; the message is shown as one line."""


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are a single line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def fail(message: str, status: int = 2) -> int:
    """Print one error line and return the exit status to use."""
    print(f"error: {message}", file=sys.stderr)
    return status
