"""uvicorn's access log without secrets: the calendar feed key and a password link's secret are [redacted]."""

from __future__ import annotations

import copy
import logging
import re

_SECRET = re.compile(r"([?&](?:key|token)=)[^&\s\"]*", re.I)
# /password/{secret}: whoever reads the log within the link's lifetime could choose the password.
_LINK = re.compile(r"(/password/)(?!forgot\b)[A-Za-z0-9_-]+")


def redact(text: str) -> str:
    """`/api/calendar/x.ics?key=abc` → `/api/calendar/x.ics?key=[redacted]`; `/password/abc` likewise."""
    return _LINK.sub(r"\1[redacted]", _SECRET.sub(r"\1[redacted]", text))


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
