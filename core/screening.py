"""The one object a front end holds: loaded once per process, it opens a `Session` per call.

    screening = Screening.load()                       # policy, prompts, understanding, recognition context
    session = screening.open_session(engine, channel="twilio", input_rate=8000, output_rate=8000,
                                     keypad=True, call_id=sid)
    session = screening.open_typed_session(channel="kiosk")   # typed answers: same Session, no audio

Front ends import this facade, `core.session` and `core.events` only: the dialogue, understanding and
record wiring (policy + prompts + understander + question context) lives here, once.
"""

from __future__ import annotations

import math

from core.dialogue.conversation import Conversation, Understander
from core.policy import Policy, load_policy
from core.prompts import PromptBook, load_prompts
from core.session import Session
from core.speech.context import QuestionContext
from core.speech.engine import SpeechEngine, TurnSettings
from core.speech.text_engine import TEXT_ENGINE

__all__ = ["DEFAULT_LANGUAGE", "Screening", "Understander"]

DEFAULT_LANGUAGE = "en"
TYPED_TURNS = TurnSettings(no_input_timeout=math.inf)
"""A visitor typing takes the time they need: silence never counts as an answer."""


class Screening:
    """Everything a call needs that is the same for every call: shared, read-only after loading."""

    def __init__(self, policy: Policy, prompts: PromptBook, understand: Understander | None = None) -> None:
        if understand is None:
            from core.understanding import understand
        self.policy = policy
        self.prompts = prompts
        self.understand: Understander = understand
        self._context: QuestionContext | None = None

    @classmethod
    def load(cls, policy: Policy | None = None, prompts: PromptBook | None = None) -> Screening:
        """Load the policy and prompts (the defaults unless given) and warm the understanding (~0.3 s)."""
        policy = policy or load_policy()
        screening = cls(policy, prompts or load_prompts(policy))
        screening.warm()
        return screening

    def warm(self) -> QuestionContext:
        """Blocking: build the recognition context (loads the city gazetteer); run it off the event loop."""
        if self._context is None:
            self._context = QuestionContext(self.policy, self.understand)
        return self._context

    def open_session(
        self,
        engine: SpeechEngine,
        *,
        channel: str,
        input_rate: int,
        output_rate: int | None = None,
        keypad: bool = False,
        language: str = DEFAULT_LANGUAGE,
        call_id: str | None = None,
        settings: TurnSettings | None = None,
    ) -> Session:
        """A new call on `engine` (shared); `language` picks prompts and voice once more than one ships."""
        if language != DEFAULT_LANGUAGE:
            raise ValueError(f"language {language!r} is not available yet")
        conversation = Conversation(
            self.policy, self.prompts, self.understand, channel=channel, engine=engine.name, keypad=keypad,
            call_id=call_id,
        )  # fmt: skip
        return Session(
            engine, conversation, settings, input_rate=input_rate, output_rate=output_rate, context=self.warm()
        )

    def open_typed_session(
        self, *, channel: str, language: str = DEFAULT_LANGUAGE, call_id: str | None = None
    ) -> Session:
        """A call answered by typing only: the same Session on a text-only engine (no audio either way).
        The front end calls `playback_finished` once it has shown a prompt; nobody is timed out."""
        return self.open_session(
            TEXT_ENGINE, channel=channel, input_rate=TEXT_ENGINE.voice.sample_rate, language=language,
            call_id=call_id, settings=TYPED_TURNS,
        )  # fmt: skip
