"""Qt offscreen for every UI test, plus the policy, prompts and a throwaway settings store."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

import ui  # noqa: F401 - applies the PySide6 None-refcount guard before any widget exists
from core.policy import Policy, load_policy
from core.prompts import PromptBook, load_prompts
from ui.strings import Strings, policy_values
from ui.theme import apply_theme


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy()


@pytest.fixture(scope="session")
def prompts(policy: Policy) -> PromptBook:
    return load_prompts(policy)


@pytest.fixture
def strings() -> Strings:
    return Strings()


@pytest.fixture
def values(policy: Policy) -> dict[str, str]:
    return policy_values(policy)


@pytest.fixture
def store(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def themed(qapp: QApplication) -> QApplication:
    apply_theme(qapp)
    return qapp


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync loop on the test's QApplication: Qt and asyncio on one thread, as in the app (which also
    keeps running when its last window closes: closing the window ends the call and stores it first)."""
    qapp.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    loop.run_until_complete(asyncio.sleep(0.05))
    loop.close()  # also joins the loop's worker threads (engine loading ran on one)
    asyncio.set_event_loop(None)


@pytest.fixture(autouse=True)
def _kiosk_timers_end_with_the_test() -> Iterator[None]:
    """A kiosk's outcome countdown must not fire into the next test (it would find no event loop)."""
    yield
    from tests.ui.kiosk_harness import stop_built

    stop_built()
