"""Structured logs: one JSON object a line, which journald, Docker and log collectors read.

Every record carries its time (ISO 8601, UTC), level, logger and message; the values a caller
passes in `extra=` and an exception's traceback come along as fields of their own.
"""

from __future__ import annotations

import datetime
import json
import logging

# Attributes every LogRecord has; anything else was passed in `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
