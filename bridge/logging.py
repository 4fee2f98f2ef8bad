"""One JSON line per event, each tagged with the call SID of the call it belongs to."""

from __future__ import annotations

import json
import logging
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

call_sid_var: ContextVar[str] = ContextVar("call_sid", default="")
"""Set by each call's task; every line it logs carries it without passing it around."""

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName", "color_message"}
QUIET_LOGGERS = ("faster_whisper", "alembic", "twilio.http_client", "twilio.async_http_client")
"""Libraries that log routine work at INFO (one line per transcription); WARNING and up still show."""


SECRET_QUERY = re.compile(
    r"(?i)([?&](?:token|access_token|auth|authorization|password|passwd|pwd|secret|key|api_key|apikey|"
    r"signature|sig|x-twilio-signature)=)[^&\s\"']*"
)
"""Query parameters that carry credentials (Exotel's `?token=`): their values never reach a log."""


def redact(text: str) -> str:
    return SECRET_QUERY.sub(r"\1[redacted]", text)


class JsonFormatter(logging.Formatter):
    """Time, level, logger, event text, call SID, and any `extra=` fields, as one JSON object."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": redact(record.getMessage()),
        }
        call_sid = getattr(record, "call_sid", None) or call_sid_var.get()
        if call_sid:
            line["call_sid"] = call_sid
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in line:
                line[key] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure(level: str = "INFO") -> None:
    """Route every logger (ours, uvicorn's) through the JSON formatter on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
