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
from collections.abc import Callable

from core.dialogue.conversation import Conversation, Understander
from core.language import DEFAULT_LANGUAGE, check_language
from core.policy import Policy, load_policy
from core.prompts import PromptBook, load_prompts
from core.session import Session
from core.speech.context import QuestionContext
from core.speech.engine import SpeechEngine, TurnSettings
from core.speech.text_engine import TEXT_ENGINE

__all__ = ["DEFAULT_LANGUAGE", "Screening", "Understander"]

TYPED_TURNS = TurnSettings(no_input_timeout=math.inf)
"""A visitor typing takes the time they need: silence never counts as an answer."""


class Screening:
    """Everything a call needs that is the same for every call: shared, read-only after loading.

    `prompts` is the default language's book; other languages' books and recognition contexts load on
    first use and are kept, so a Hindi call costs its loading once per process."""

    def __init__(
        self,
        policy: Policy,
        prompts: PromptBook,
        understand: Understander | None = None,
        *,
        tailor: Callable[[PromptBook], PromptBook] | None = None,
    ) -> None:
        """`tailor`: a front end's own sentences applied to every language's book (the kiosk's wording for
        a visitor standing in the branch)."""
        if understand is None:
            from core.understanding import understand
        self.policy = policy
        self._tailor = tailor or (lambda book: book)
        prompts = self._tailor(prompts)
        self.prompts = prompts
        self.understand: Understander = understand
        self._books: dict[str, PromptBook] = {prompts.code: prompts}
        self._contexts: dict[str, QuestionContext] = {}

    @classmethod
    def load(
        cls, policy: Policy | None = None, prompts: PromptBook | None = None, *, language: str = DEFAULT_LANGUAGE
    ) -> Screening:
        """Load the policy and prompts (the defaults, in `language`, unless given) and warm the understanding."""
        policy = policy or load_policy()
        screening = cls(policy, prompts or load_prompts(policy, language=language))
        screening.warm()
        return screening

    @property
    def language(self) -> str:
        """The default language: the one calls are held in unless a front end asks for another."""
        return self.prompts.code

    def prompts_for(self, language: str) -> PromptBook:
        """The prompt book in `language` (loaded once; an unknown language is a LanguageError)."""
        code = check_language(language)
        book = self._books.get(code)
        if book is None:
            book = self._books[code] = self._tailor(load_prompts(self.policy, language=code))
        return book

    def warm(self, language: str | None = None) -> QuestionContext:
        """Blocking: build the recognition context (loads the city gazetteer); run it off the event loop."""
        code = check_language(language or self.language)
        context = self._contexts.get(code)
        if context is None:
            context = self._contexts[code] = QuestionContext(self.policy, self.understand, code)
        return context

    def open_session(
        self,
        engine: SpeechEngine,
        *,
        channel: str,
        input_rate: int,
        output_rate: int | None = None,
        keypad: bool = False,
        language: str | None = None,
        call_id: str | None = None,
        settings: TurnSettings | None = None,
    ) -> Session:
        """A new call on `engine` (shared) in `language` (default: the screening's): its prompts, its voice and
        recogniser (an engine that speaks several languages gives its sibling for it), its context."""
        book = self.prompts_for(language or self.language)
        for_language = getattr(engine, "for_language", None)
        if for_language is not None:
            engine = for_language(book.code)
        conversation = Conversation(
            self.policy, book, self.understand, channel=channel, engine=engine.name, keypad=keypad, call_id=call_id
        )
        return Session(
            engine, conversation, settings, input_rate=input_rate, output_rate=output_rate,
            context=self.warm(book.code),
        )  # fmt: skip

    def open_typed_session(
        self, *, channel: str, language: str | None = None, call_id: str | None = None
    ) -> Session:
        """A call answered by typing only: the same Session on a text-only engine (no audio either way).
        The front end calls `playback_finished` once it has shown a prompt; nobody is timed out."""
        return self.open_session(
            TEXT_ENGINE, channel=channel, input_rate=TEXT_ENGINE.voice.sample_rate, language=language,
            call_id=call_id, settings=TYPED_TURNS,
        )  # fmt: skip
