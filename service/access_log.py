"""uvicorn's access log without secrets: the calendar feed key in a URL is written as [redacted]."""

from __future__ import annotations

import copy
import logging
import re

_SECRET = re.compile(r"([?&](?:key|token)=)[^&\s\"]*", re.I)


def redact(text: str) -> str:
    """`/api/calendar/x.ics?key=abc` → `/api/calendar/x.ics?key=[redacted]`."""
    return _SECRET.sub(r"\1[redacted]", text)


class RedactSecrets(logging.Filter):
    """Rewrites the path of each access-log record (uvicorn passes it as the third argument)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def log_config() -> dict:
    """uvicorn's default logging configuration, its access handler filtered by RedactSecrets."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_secrets"] = {"()": "service.access_log.RedactSecrets"}
    config["handlers"]["access"]["filters"] = ["redact_secrets"]
    return config
