"""Which reading of one caller turn leads: the fast look, the slower second look and its beam.

The listener decodes a turn once as soon as the caller goes quiet and, when that reading is no answer
or an unsure one, a second time with a wider window and a beam. This class holds the readings and
decides between them using only the question's `Expectation` (is it an answer, a complete one, what do
readings vote on): it knows no question by name.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace

from core.speech.engine import Expectation
from core.speech.recognizer import Transcript
from core.speech.vocabulary import corrections

UNSURE_DECODE = 0.6
"""Decoder confidence (exp of the mean token log-probability) below which even a complete answer gets a
second look: misheard amounts ("twenty-five thousand" for "ninety-four thousand") decode at 0.55-0.6,
clear answers mostly above 0.7."""

Kind = tuple[bool, bool]
"""(an answer, a complete one): how good a reading is before its confidence counts."""


class Readings:
    """One turn's leading reading and its alternatives, under the current expectation."""

    def __init__(self) -> None:
        self.expected: Expectation | None = None
        self.clear()

    def clear(self) -> None:
        """Forget every reading (new speech makes them stale, or a new turn starts)."""
        self.lead: Transcript | None = None
        self.others: tuple[str, ...] = ()
        self.other_look = ""
        """After a second look whose reading differs from the first's: the one not chosen."""
        self.looked_twice = False
        self.complete = False
        """The lead is a complete, confident answer: the turn may end before the full silence."""
        self.expects_more = False
        """The lead stops mid-number: allow the longer pause."""

    def take(self, transcript: Transcript, *, full: bool) -> Transcript:
        """Adopt a decode (repaired for this kind of answer); after a second look the better reading of the
        two looks leads (`choose`) and the other look's reading becomes an alternative. Returns the lead."""
        transcript = self._repaired(transcript)
        first = self.lead if full else None
        if first is not None and first.text:
            chosen = self.choose(first, transcript)
            other = first.text if chosen.text != first.text else transcript.text
            transcript = chosen
        else:
            other = first.text if first is not None else ""
        expected = self.expected
        self.lead = transcript
        self.others = (other,) if other and other != transcript.text else ()
        self.other_look = self.others[0] if full and self.others else ""
        self.looked_twice = full
        self.expects_more = bool(expected and expected.expects_more and expected.expects_more(transcript.text))
        self.complete = self.kind(transcript.text)[1]
        return transcript

    def needs_second_look(self) -> bool:
        """Speech was heard but the fast reading is no answer, or an unsure one (not a complete answer, or
        decoded with low confidence) that is not waiting for the rest of a number: the slower, surer
        second look often hears it right. Confident answers, the common case, never pay for it."""
        lead = self.lead
        if lead is None or self.looked_twice:
            return False
        if not self._answers(lead.text):
            return True
        unsure = not self.complete or (lead.confidence or 0.0) < UNSURE_DECODE
        return unsure and not self.expects_more

    def final(self) -> tuple[Transcript, tuple[str, ...]]:
        """The turn's reading and its alternatives: the other look's reading, then vocabulary corrections."""
        transcript = self.lead or Transcript("", None, 1.0)
        expected = self.expected
        readings = (transcript.text, *self.others)
        fixed = [alt for text in readings if text and expected for alt in corrections(text, expected.vocabulary)]
        return transcript, tuple(dict.fromkeys([*self.others, *fixed]))

    def kind(self, text: str) -> Kind:
        expected = self.expected
        complete = bool(text and expected and expected.is_complete and expected.is_complete(text))
        return self._answers(text), complete

    def choose(self, first: Transcript, second: Transcript) -> Transcript:
        """The surer of two looks: an answer, then a complete one, then the decoder's confidence (the
        second look on a tie). Where the expectation names a vote key (the amount, at the salary question)
        the readings of the best kind (complete answers if any) vote on it: the first look with its
        confidence, the second with the best confidence of each key among its beam's readings
        (near-duplicate beam readings count once), so one odd reading ("Family three thousand") loses
        to two looks that agree ("73,000", "70, 3,000"); wording does not split the vote. Elsewhere only
        the two best readings compete: a lower beam reading that happens to name a served city must not
        win over what was mostly heard."""
        key = self.expected.vote_key if self.expected else None
        if key is not None:
            beam = [second, *(Transcript(text, score, 0.0) for text, score in second.others)]
            best = max(self.kind(reading.text) for reading in [*beam, first])
            if best[0]:
                return self._vote(first, [reading for reading in beam if self.kind(reading.text) == best], best)
        return first if self._rank(first) > self._rank(second) else second

    def _vote(self, first: Transcript, beam: list[Transcript], kind: Kind) -> Transcript:
        """The key with the most confidence behind it (see `choose`), and its surest reading."""
        assert self.expected is not None and self.expected.vote_key is not None
        key = self.expected.vote_key
        votes: dict[Hashable, float] = {}
        for reading in beam:
            said = key(reading.text)
            votes[said] = max(votes.get(said, 0.0), reading.confidence or 0.0)
        voters = beam
        if self.kind(first.text) == kind:
            said = key(first.text)
            votes[said] = votes.get(said, 0.0) + (first.confidence or 0.0)
            voters = [*beam, first]
        winner = max(votes, key=lambda said: votes[said])  # the second look's best on a tie
        return max((r for r in voters if key(r.text) == winner), key=self._rank)

    def _answers(self, text: str) -> bool:
        expected = self.expected
        return expected is None or expected.is_answer is None or expected.is_answer(text)

    def _rank(self, transcript: Transcript) -> tuple[bool, bool, float]:
        return *self.kind(transcript.text), transcript.confidence or 0.0

    def _repaired(self, transcript: Transcript) -> Transcript:
        repair = self.expected.repair if self.expected else None
        if repair is None:
            return transcript
        others = tuple((repair(text), score) for text, score in transcript.others)
        return replace(transcript, text=repair(transcript.text), others=others)
