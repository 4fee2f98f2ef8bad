"""The dialogue table, the pure transitions and Conversation, driven with hand-made understandings."""

from __future__ import annotations

import json
from collections import deque
from dataclasses import replace

import pytest

from core.dialogue.conversation import Conversation
from core.dialogue.decide import Answers, Need, Outcome, Reason, decide, failing_reasons, meets_minimum
from core.dialogue.machine import Context, Step, close, hang_up, respond, start
from core.dialogue.table import (
    CONFIRMING,
    QUESTION_OF,
    TERMINAL_STATES,
    TRANSITIONS,
    NoTransition,
    State,
    Trigger,
    follow,
)
from core.policy import Policy, load_policy
from core.prompts import PromptBook, PromptKey, load_prompts
from core.understanding.types import (
    CityAnswer,
    Employment,
    Intent,
    Question,
    SalaryAnswer,
    Slot,
    Understanding,
    Unusable,
)

POLICY = load_policy()
PROMPTS = load_prompts(POLICY)

SALARIED = Slot(Employment.SALARIED, 0.9)
NOT_SALARIED = Slot(Employment.NOT_SALARIED, 0.9)
PAID_WELL = Slot(SalaryAnswer(monthly=60_000, meets_minimum=True), 0.9)
PAID_LITTLE = Slot(SalaryAnswer(monthly=18_000, meets_minimum=False), 0.9)
SAID_YES = Slot(SalaryAnswer(monthly=None, meets_minimum=True), 0.8)
DELHI = Slot(CityAnswer("Delhi", serviceable=True), 0.95)
PUNE = Slot(CityAnswer("Pune", serviceable=False), 0.95)


def answer(**slots: Slot) -> Understanding:
    return Understanding(Intent.ANSWER, **slots)


def unusable(why: Unusable = Unusable.FILLER) -> Understanding:
    return Understanding(Intent.UNUSABLE, unusable=why)


SILENCE = unusable(Unusable.SILENCE)
REPEAT = Understanding(Intent.REPEAT)


def play(*heard: Understanding, keypad: bool = False, policy: Policy = POLICY) -> list[Step]:
    """Start a call and feed it understandings; every step, the opening included."""
    steps = [start(Context(keypad=keypad))]
    for understanding in heard:
        steps.append(respond(steps[-1].context, understanding, policy))
    return steps


# --- the table -----------------------------------------------------------------------


def test_every_state_is_reachable_from_init() -> None:
    seen, todo = {State.INIT}, deque([State.INIT])
    while todo:
        state = todo.popleft()
        for edge in TRANSITIONS:
            if edge.source is state and edge.target not in seen:
                seen.add(edge.target)
                todo.append(edge.target)
    assert seen == set(State)


def test_every_state_but_end_has_an_exit_and_end_has_none() -> None:
    sources = {edge.source for edge in TRANSITIONS}
    assert sources == set(State) - {State.END}


def test_table_is_deterministic_and_labelled() -> None:
    keys = [(edge.source, edge.trigger) for edge in TRANSITIONS]
    assert len(keys) == len(set(keys)), "one edge per state and trigger"
    assert all(edge.label.strip() for edge in TRANSITIONS)


def test_terminal_states_only_close() -> None:
    for edge in TRANSITIONS:
        if edge.source in TERMINAL_STATES:
            assert (edge.trigger, edge.target) == (Trigger.CLOSED, State.END)


def test_follow_rejects_an_edge_the_table_lacks() -> None:
    with pytest.raises(NoTransition, match="ASK_CITY"):
        follow(State.ASK_CITY, Trigger.NEED_SALARY)


INPUTS = (
    SILENCE,
    unusable(),
    REPEAT,
    answer(employment=SALARIED),
    answer(employment=NOT_SALARIED),
    answer(salary=PAID_WELL),
    answer(salary=PAID_LITTLE),
    answer(salary=SAID_YES),
    answer(city=DELHI),
    answer(city=PUNE),
    answer(employment=SALARIED, salary=PAID_WELL),
    answer(employment=SALARIED, salary=PAID_WELL, city=DELHI),
    answer(employment=SALARIED, city=PUNE),
)


def test_the_machine_uses_exactly_the_table_edges() -> None:
    """Explore every context the machine can reach: each edge it takes is in the table, and every edge is used."""
    used = set()
    first = start(Context())
    used.update(first.edges)
    seen, todo = {first.context}, deque([first.context])
    while todo:
        context = todo.popleft()
        if context.question is None:
            used.update(close(context).edges)
            continue
        used.update(hang_up(context).edges)
        for heard in INPUTS:
            for unsure in (frozenset(), frozenset({context.question})):
                for yes in (None, True, False):
                    step = respond(context, heard, POLICY, unsure=unsure, yes=yes)
                    used.update(step.edges)
                    if step.context not in seen:
                        seen.add(step.context)
                        todo.append(step.context)
    assert used <= set(TRANSITIONS)
    assert set(TRANSITIONS) - used == set(), "every table edge is reachable by the machine"


# --- opening and short-circuits ------------------------------------------------------


def test_greeting_flows_into_the_first_question() -> None:
    step = start(Context())
    assert step.context.state is State.ASK_EMPLOYMENT
    assert [(e.source, e.target) for e in step.edges] == [
        (State.INIT, State.GREETING),
        (State.GREETING, State.ASK_EMPLOYMENT),
    ]
    assert step.prompts == (PromptKey.GREETING, PromptKey.ASK_EMPLOYMENT)


def test_not_salaried_ends_after_the_first_question() -> None:
    step = play(answer(employment=NOT_SALARIED))[-1]
    assert step.context.state is State.NOT_ELIGIBLE
    assert step.context.outcome is Outcome.NOT_ELIGIBLE
    assert step.context.reasons == (Reason.NOT_SALARIED,)
    assert step.prompts == (PromptKey.NOT_ELIGIBLE_LEAD, PromptKey.REASON_NOT_SALARIED, PromptKey.GOODBYE)


def test_low_salary_ends_after_the_second_question() -> None:
    steps = play(answer(employment=SALARIED), answer(salary=PAID_LITTLE))
    assert steps[1].context.state is State.ASK_SALARY and steps[1].prompts == (PromptKey.ASK_SALARY,)
    assert steps[2].context.state is State.NOT_ELIGIBLE
    assert steps[2].context.reasons == (Reason.SALARY_BELOW_MINIMUM,)
    assert PromptKey.REASON_SALARY_BELOW_MINIMUM in steps[2].prompts


def test_city_decides_the_rest() -> None:
    asked = play(answer(employment=SALARIED), answer(salary=SAID_YES))
    assert asked[-1].context.state is State.ASK_CITY and asked[-1].prompts == (PromptKey.ASK_CITY,)
    served = respond(asked[-1].context, answer(city=DELHI), POLICY)
    assert served.context.outcome is Outcome.ELIGIBLE and served.prompts == (PromptKey.ELIGIBLE,)
    assert served.context.reasons == ()
    unserved = respond(asked[-1].context, answer(city=PUNE), POLICY)
    assert unserved.context.outcome is Outcome.NOT_ELIGIBLE
    assert unserved.context.reasons == (Reason.CITY_NOT_SERVICEABLE,)


# --- over-answering ------------------------------------------------------------------


def test_over_answer_with_everything_is_decided_in_one_reply() -> None:
    step = play(answer(employment=SALARIED, salary=PAID_WELL, city=DELHI))[-1]
    assert step.context.outcome is Outcome.ELIGIBLE
    assert [(e.source, e.trigger) for e in step.edges] == [(State.ASK_EMPLOYMENT, Trigger.PASSED)]


def test_over_answered_salary_skips_the_salary_question() -> None:
    step = play(answer(employment=SALARIED, salary=PAID_WELL))[-1]
    assert step.context.state is State.ASK_CITY
    assert step.edges[0].trigger is Trigger.NEED_CITY


def test_early_city_is_kept_and_skips_the_city_question() -> None:
    steps = play(answer(employment=SALARIED, city=PUNE), answer(salary=PAID_WELL))
    assert steps[1].context.state is State.ASK_SALARY
    assert steps[2].context.outcome is Outcome.NOT_ELIGIBLE
    assert steps[2].context.reasons == (Reason.CITY_NOT_SERVICEABLE,)


def test_every_failed_criterion_is_a_reason() -> None:
    step = play(answer(employment=NOT_SALARIED, salary=PAID_LITTLE, city=PUNE))[-1]
    assert step.context.reasons == (Reason.NOT_SALARIED, Reason.SALARY_BELOW_MINIMUM, Reason.CITY_NOT_SERVICEABLE)
    assert step.prompts == (
        PromptKey.NOT_ELIGIBLE_LEAD,
        PromptKey.REASON_NOT_SALARIED,
        PromptKey.REASON_SALARY_BELOW_MINIMUM,
        PromptKey.REASON_CITY_NOT_SERVICEABLE,
        PromptKey.GOODBYE,
    )


def test_an_answer_to_another_question_does_not_answer_this_one() -> None:
    step = play(answer(city=DELHI))[-1]
    assert step.context.state is State.ASK_EMPLOYMENT
    assert step.context.unusable_in_a_row == 1
    assert step.context.answers.city == DELHI, "the over-answer is kept for later"


# --- retries, repeats, silence -------------------------------------------------------


def test_unusable_answers_rephrase_then_give_up_after_max_attempts() -> None:
    steps = play(unusable(), unusable(Unusable.UNSURE), unusable(Unusable.REFUSAL))
    assert steps[1].prompts == (PromptKey.ASK_EMPLOYMENT_RETRY,)
    assert steps[2].prompts == (PromptKey.ASK_EMPLOYMENT_RETRY,)
    assert steps[1].context.state is steps[2].context.state is State.ASK_EMPLOYMENT
    assert [s.context.unusable_in_a_row for s in steps[1:]] == [1, 2, 3]
    assert steps[3].context.state is State.INCOMPLETE
    assert steps[3].context.outcome is Outcome.INCOMPLETE
    assert steps[3].prompts == (PromptKey.INCOMPLETE,)
    assert steps[3].edges[0].trigger is Trigger.GAVE_UP


def test_give_up_follows_the_policy_attempts() -> None:
    patient = POLICY.model_copy(update={"max_attempts": 5})
    steps = play(*[SILENCE] * 4, policy=patient)
    assert steps[-1].context.state is State.ASK_EMPLOYMENT
    assert respond(steps[-1].context, SILENCE, patient).context.outcome is Outcome.INCOMPLETE


def test_second_silence_asks_are_you_still_there() -> None:
    steps = play(SILENCE, SILENCE)
    assert steps[1].prompts == (PromptKey.ASK_EMPLOYMENT_RETRY,)
    assert steps[2].prompts == (PromptKey.STILL_THERE, PromptKey.ASK_EMPLOYMENT)
    assert PROMPTS[PromptKey.STILL_THERE] == "Are you still there?"


def test_silence_after_a_filler_is_still_there_too() -> None:
    assert play(unusable(), SILENCE)[-1].prompts == (PromptKey.STILL_THERE, PromptKey.ASK_EMPLOYMENT)
    assert play(SILENCE, unusable())[-1].prompts == (PromptKey.ASK_EMPLOYMENT_RETRY,)


def test_repeat_repeats_the_question_without_spending_an_attempt() -> None:
    steps = play(answer(employment=SALARIED), unusable(), REPEAT)
    assert steps[-1].prompts == (PromptKey.REPEAT_LEAD, PromptKey.ASK_SALARY)
    assert steps[-1].context.unusable_in_a_row == 1
    assert steps[-1].context.repeats == 1
    assert steps[-1].edges[0].trigger is Trigger.REPEAT
    after_two_more = play(answer(employment=SALARIED), unusable(), REPEAT, unusable(), REPEAT)
    assert after_two_more[-1].context.state is State.ASK_SALARY


def test_repeats_beyond_max_attempts_count_as_failures() -> None:
    steps = play(*[REPEAT] * POLICY.max_attempts, REPEAT)
    assert all(s.prompts[0] is PromptKey.REPEAT_LEAD for s in steps[1:-1])
    assert steps[-1].context.unusable_in_a_row == 1
    assert steps[-1].prompts == (PromptKey.ASK_EMPLOYMENT_RETRY,)


def test_counters_reset_when_the_dialogue_moves_on() -> None:
    steps = play(unusable(), REPEAT, unusable(), answer(employment=SALARIED), unusable(), unusable())
    assert steps[4].context.unusable_in_a_row == 0 and steps[4].context.repeats == 0
    assert steps[-1].context.state is State.ASK_SALARY, "two failures on Q2 after two on Q1 is not three"


def test_keypad_hint_follows_a_failed_attempt_on_a_phone() -> None:
    steps = play(unusable(), answer(employment=SALARIED), unusable(), answer(salary=SAID_YES), unusable(), keypad=True)
    assert PromptKey.KEYPAD_YES_NO not in steps[0].prompts
    assert steps[1].prompts == (PromptKey.ASK_EMPLOYMENT_RETRY, PromptKey.KEYPAD_YES_NO)
    assert steps[2].prompts == (PromptKey.ASK_SALARY,)
    assert steps[3].prompts == (PromptKey.ASK_SALARY_RETRY, PromptKey.KEYPAD_AMOUNT)
    assert steps[5].prompts == (PromptKey.ASK_CITY_RETRY,), "no keypad for a city"


def test_keypad_hint_on_repeat_and_still_there() -> None:
    steps = play(SILENCE, REPEAT, SILENCE, keypad=True)
    assert steps[2].prompts == (PromptKey.REPEAT_LEAD, PromptKey.ASK_EMPLOYMENT, PromptKey.KEYPAD_YES_NO)
    assert steps[3].prompts == (PromptKey.STILL_THERE, PromptKey.ASK_EMPLOYMENT, PromptKey.KEYPAD_YES_NO)


def test_no_keypad_hint_without_a_keypad() -> None:
    steps = play(unusable(), REPEAT, SILENCE)
    assert all(key not in step.prompts for step in steps for key in (PromptKey.KEYPAD_YES_NO, PromptKey.KEYPAD_AMOUNT))


# --- hang up and close ---------------------------------------------------------------


def test_hang_up_is_incomplete_and_silent() -> None:
    asking = play(answer(employment=SALARIED))[-1].context
    step = hang_up(asking)
    assert step.context.state is State.INCOMPLETE and step.context.outcome is Outcome.INCOMPLETE
    assert step.prompts == () and step.edges[0].trigger is Trigger.HUNG_UP
    assert step.context.answers.employment == SALARIED


def test_close_moves_every_outcome_to_end_and_nothing_else() -> None:
    for heard in (answer(employment=NOT_SALARIED), answer(employment=SALARIED, salary=PAID_WELL, city=DELHI)):
        done = play(heard)[-1].context
        assert close(done).context.state is State.END
    with pytest.raises(NoTransition):
        close(Context(state=State.ASK_CITY))


def test_respond_refuses_when_no_question_is_pending() -> None:
    done = play(answer(employment=NOT_SALARIED))[-1].context
    with pytest.raises(ValueError, match="no question"):
        respond(done, answer(employment=SALARIED), POLICY)


# --- decide --------------------------------------------------------------------------


def test_decide_asks_in_question_order() -> None:
    assert decide(Answers()) is Need.EMPLOYMENT
    assert decide(Answers(city=PUNE, salary=PAID_LITTLE)) is Need.EMPLOYMENT
    assert decide(Answers(employment=SALARIED, city=PUNE)) is Need.SALARY
    assert decide(Answers(employment=SALARIED, salary=SAID_YES)) is Need.CITY
    assert decide(Answers(employment=SALARIED, salary=SAID_YES, city=DELHI)) is Outcome.ELIGIBLE
    assert decide(Answers(employment=NOT_SALARIED)) is Outcome.NOT_ELIGIBLE


def test_failing_reasons_list_every_known_failure() -> None:
    assert failing_reasons(Answers(salary=PAID_LITTLE, city=PUNE)) == [
        Reason.SALARY_BELOW_MINIMUM,
        Reason.CITY_NOT_SERVICEABLE,
    ]
    assert failing_reasons(Answers(employment=SALARIED, salary=PAID_WELL, city=DELHI)) == []


def test_meets_minimum_is_inclusive() -> None:
    assert meets_minimum(POLICY.min_monthly_salary, POLICY)
    assert not meets_minimum(POLICY.min_monthly_salary - 1, POLICY)


def test_a_later_answer_replaces_an_earlier_one() -> None:
    merged = Answers(employment=NOT_SALARIED, city=PUNE).merged(answer(employment=SALARIED))
    assert merged.employment == SALARIED and merged.city == PUNE
    assert merged.to_json() == {"employment": "salaried", "monthly_salary": None, "city": "Pune"}


# --- Conversation and its record -----------------------------------------------------


class Scripted:
    """An understander that maps each exact reply text to a prepared understanding."""

    def __init__(self, replies: dict[str, Understanding]) -> None:
        self.replies = replies
        self.heard: list[tuple[Question, str]] = []

    def __call__(self, question: Question, text: str, policy: Policy) -> Understanding:
        self.heard.append((question, text))
        return self.replies.get(text, SILENCE if not text else unusable())


SCRIPT = {
    "yes": answer(employment=SALARIED),
    "60k": answer(salary=PAID_WELL),
    "Delhi": answer(city=DELHI),
    "Pune": answer(city=PUNE),
    "pardon?": REPEAT,
}


def conversation(prompts: PromptBook = PROMPTS, **kwargs: object) -> tuple[Conversation, Scripted]:
    understand = Scripted(SCRIPT)
    return Conversation(POLICY, prompts, understand, **kwargs), understand  # type: ignore[arg-type]


def test_conversation_asks_the_question_it_expects_answered() -> None:
    talk, understand = conversation()
    opening = talk.start()
    assert opening.text == f"{PROMPTS[PromptKey.GREETING]} {PROMPTS[PromptKey.ASK_EMPLOYMENT]}"
    assert talk.question is Question.EMPLOYMENT and talk.awaiting_reply and not opening.closing
    talk.reply("yes")
    assert talk.question is Question.SALARY
    talk.reply("60k")
    last = talk.reply("Delhi")
    assert last.closing and last.state is State.ELIGIBLE and last.text == PROMPTS[PromptKey.ELIGIBLE]
    assert talk.question is None and not talk.awaiting_reply and not talk.finished
    assert [q for q, _ in understand.heard] == [Question.EMPLOYMENT, Question.SALARY, Question.CITY]
    with pytest.raises(RuntimeError):
        talk.reply("hello?")


def test_record_of_a_finished_call() -> None:
    talk, _ = conversation(channel="twilio", engine="offline", call_id="call-1")
    talk.start()
    for text in ("", "yes", "pardon?", "60k", "Pune"):
        talk.reply(text)
    record = talk.close()
    assert talk.finished
    assert (record.channel, record.engine, record.call_id) == ("twilio", "offline", "call-1")
    assert record.policy_version == POLICY.version
    assert record.outcome == "not_eligible" and record.reasons == ["city_not_serviceable"]
    assert record.answers == {"employment": "salaried", "monthly_salary": 60000, "city": "Pune"}
    assert record.ended_at is not None
    assert [t.caller for t in record.turns] == ["", "yes", "pardon?", "60k", "Pune", None]
    assert [t.state for t in record.turns] == [
        "ASK_EMPLOYMENT",
        "ASK_EMPLOYMENT",
        "ASK_SALARY",
        "ASK_SALARY",
        "ASK_CITY",
        "NOT_ELIGIBLE",
    ]
    assert [t.intent for t in record.turns[:-1]] == ["unusable", "answer", "repeat", "answer", "answer"]
    assert record.turns[3].parsed == {"monthly_salary": 60000, "meets_minimum": True}
    assert record.turns[3].confidence == PAID_WELL.confidence
    assert record.turns[4].parsed == {"city": "Pune", "city_serviceable": False}
    assert record.turns[0].parsed is None
    assert record.turns[-1].state_after == "END"
    assert record.path == [
        "INIT",
        "GREETING",
        "ASK_EMPLOYMENT",
        "ASK_EMPLOYMENT",
        "ASK_SALARY",
        "ASK_SALARY",
        "ASK_CITY",
        "NOT_ELIGIBLE",
        "END",
    ]
    assert json.loads(json.dumps(record.to_json()))["answers"] == record.answers


def test_parsed_confidence_is_the_lowest_slot_confidence() -> None:
    talk, _ = conversation()
    talk.start()
    talk.reply_understood("1", answer(employment=SALARIED, salary=SAID_YES))
    turn = talk.record.turns[0]
    assert turn.parsed == {"employment": "salaried", "monthly_salary": None, "meets_minimum": True}
    assert turn.confidence == min(SALARIED.confidence, SAID_YES.confidence)
    assert talk.question is Question.CITY


def test_hang_up_mid_call_keeps_what_was_answered() -> None:
    talk, _ = conversation()
    talk.start()
    talk.reply("yes")
    talk.hang_up()
    record = talk.record
    assert talk.finished and record.outcome == "incomplete" and record.reasons == []
    assert record.answers == {"employment": "salaried", "monthly_salary": None, "city": None}
    assert record.turns[-1].caller is None and record.turns[-1].state_after == "INCOMPLETE"
    assert record.path[-2:] == ["INCOMPLETE", "END"]
    talk.hang_up()
    assert record.path[-2:] == ["INCOMPLETE", "END"], "a second hang-up changes nothing"


def test_three_unusable_close_incomplete_with_the_incomplete_prompt() -> None:
    talk, _ = conversation()
    talk.start()
    texts = [talk.reply(text).text for text in ("", "", "hmm")]
    assert texts[1] == f"{PROMPTS[PromptKey.STILL_THERE]} {PROMPTS[PromptKey.ASK_EMPLOYMENT]}"
    assert texts[2] == PROMPTS[PromptKey.INCOMPLETE]
    record = talk.close()
    assert record.outcome == "incomplete" and record.reasons == []


def test_keypad_conversation_offers_the_keypad() -> None:
    talk, _ = conversation(keypad=True)
    talk.start()
    retry = talk.reply("")
    assert retry.text.endswith(PROMPTS[PromptKey.KEYPAD_YES_NO])


def test_latency_and_barge_in_land_on_the_right_turn() -> None:
    talk, _ = conversation()
    talk.start()
    talk.note_barge_in()
    talk.reply("yes")
    talk.note_latency(123.456)
    assert talk.record.turns[0].barge_in and not talk.record.turns[1].barge_in
    assert talk.record.turns[0].latency_ms == 123.5 and talk.record.turns[1].latency_ms is None


def test_bot_text_is_the_prompts_in_order() -> None:
    custom = replace(PROMPTS, texts={**PROMPTS.texts, PromptKey.REPEAT_LEAD: "Of course."})
    talk, _ = conversation(prompts=custom)
    talk.start()
    turn = talk.reply("pardon?")
    assert turn.text == f"Of course. {PROMPTS[PromptKey.ASK_EMPLOYMENT]}"
    assert turn.edges == (follow(State.ASK_EMPLOYMENT, Trigger.REPEAT),)


def test_question_of_covers_exactly_the_asking_states() -> None:
    asking = {edge.source for edge in TRANSITIONS if edge.trigger is Trigger.RETRY}
    assert set(QUESTION_OF) == asking
    reading_back = {edge.source for edge in TRANSITIONS if edge.trigger is Trigger.DENIED}
    assert set(CONFIRMING) == reading_back
