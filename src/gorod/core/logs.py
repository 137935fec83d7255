"""Logging filters named in settings.LOGGING."""

from __future__ import annotations

import logging


class NoTracebackFor403(logging.Filter):
    """Django logs a PermissionDenied with its traceback. A refusal is an expected answer, not a fault:
    one line (the path and status) is enough, and tracebacks of refusals would bury the real errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
