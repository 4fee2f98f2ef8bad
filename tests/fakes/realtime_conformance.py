"""Check Realtime events against the official `openai` GA types, with unknown fields forbidden.

The openai models allow extra fields, so every validated model is walked for `model_extra`;
problems come back in the shape the real API reports them (code, param, message).
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any

from openai.types.realtime import (
    RealtimeClientEvent,
    RealtimeServerEvent,
    RealtimeSessionCreateRequest,
    RealtimeTranscriptionSessionCreateRequest,
)
from pydantic import BaseModel, TypeAdapter, ValidationError

SERVER_EVENTS: TypeAdapter[Any] = TypeAdapter(RealtimeServerEvent)
SESSION_TYPES: dict[str, type[BaseModel]] = {
    "realtime": RealtimeSessionCreateRequest,
    "transcription": RealtimeTranscriptionSessionCreateRequest,
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a client event is invalid, as the API's `error` object would name it."""

    code: str
    param: str | None
    message: str


def _client_event_models() -> dict[str, type[BaseModel]]:
    union = typing.get_args(RealtimeClientEvent)[0]
    models: dict[str, type[BaseModel]] = {}
    for model in typing.get_args(union):
        (literal,) = typing.get_args(model.model_fields["type"].annotation)
        models[literal] = model
    return models


CLIENT_EVENT_MODELS = _client_event_models()


def client_event_problems(event: object) -> list[Problem]:
    """Every reason `event` is not a valid GA client event; empty when it is."""
    if not isinstance(event, dict):
        return [Problem("invalid_type", None, "Expected an object as the event.")]
    kind = event.get("type")
    if kind not in CLIENT_EVENT_MODELS:
        if kind is None:
            return [Problem("missing_required_parameter", "type", "Missing required parameter: 'type'.")]
        supported = ", ".join(f"'{name}'" for name in sorted(CLIENT_EVENT_MODELS))
        return [Problem("invalid_value", "type", f"Invalid value: '{kind}'. Supported values are: {supported}.")]
    if kind == "session.update":
        return _session_update_problems(event)
    return _model_problems(CLIENT_EVENT_MODELS[kind], event, ())


def _session_update_problems(event: dict[str, Any]) -> list[Problem]:
    allowed = CLIENT_EVENT_MODELS["session.update"].model_fields
    problems = [_unknown(name) for name in event if name not in allowed]
    if not isinstance(event.get("event_id", ""), str):
        problems.append(Problem("invalid_type", "event_id", "Invalid type for 'event_id': expected a string."))
    session = event.get("session")
    if not isinstance(session, dict):
        return [*problems, Problem("invalid_type", "session", "Invalid type for 'session': expected an object.")]
    session_type = session.get("type")
    if session_type is None:
        missing = "Missing required parameter: 'session.type'."
        return [*problems, Problem("missing_required_parameter", "session.type", missing)]
    if session_type not in SESSION_TYPES:
        message = f"Invalid value: '{session_type}'. Supported values are: 'realtime' and 'transcription'."
        return [*problems, Problem("invalid_value", "session.type", message)]
    return problems + _model_problems(SESSION_TYPES[session_type], session, ("session",))


def _model_problems(model: type[BaseModel], data: dict[str, Any], prefix: tuple[str, ...]) -> list[Problem]:
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(error, prefix) for error in exc.errors()]
        # A union reports every member's mismatch; the members whose `type` differs are noise.
        relevant = [p for p in problems if not (p.code == "invalid_value" and (p.param or "").endswith(".type"))]
        return relevant or problems
    return [_unknown(path) for path in _extra_paths(parsed, prefix)]


def _extra_paths(value: object, path: tuple[str, ...]) -> list[str]:
    """Dotted paths of every field the openai models accepted only because they allow extras."""
    found: list[str] = []
    if isinstance(value, BaseModel):
        found.extend(".".join((*path, name)) for name in (value.model_extra or {}))
        for name in type(value).model_fields:
            found.extend(_extra_paths(getattr(value, name), (*path, name)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_extra_paths(item, (*path, f"[{index}]")))
    return found


def _problem(error: Any, prefix: tuple[str, ...]) -> Problem:
    location = [str(part) for part in error["loc"] if _is_field(part)]
    param = ".".join((*prefix, *location)) or None
    kind = error["type"]
    if kind == "missing":
        return Problem("missing_required_parameter", param, f"Missing required parameter: '{param}'.")
    if kind in ("literal_error", "enum", "union_tag_invalid"):
        return Problem("invalid_value", param, f"Invalid value for '{param}': {error['msg']}.")
    return Problem("invalid_type", param, f"Invalid type for '{param}': {error['msg']}.")


def _is_field(part: object) -> bool:
    """Drop pydantic's union-member tags (class names, `function-after[...]`) from an error location."""
    return isinstance(part, int) or (isinstance(part, str) and part.isidentifier() and not part[0].isupper())


def _unknown(param: str) -> Problem:
    return Problem("unknown_parameter", param, f"Unknown parameter: '{param}'.")


def server_event_problem(event: dict[str, Any]) -> str | None:
    """Why `event` does not parse as a GA `RealtimeServerEvent` of its own type, or None."""
    try:
        parsed = SERVER_EVENTS.validate_python(event)
    except ValidationError as exc:
        return f"{event.get('type')}: {exc.error_count()} validation errors: {exc.errors()[:3]}"
    if getattr(parsed, "type", None) != event.get("type"):
        return f"{event.get('type')} parsed as {type(parsed).__name__}"
    return None
