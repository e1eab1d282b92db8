"""Logging filters of the site."""

import logging


class WithoutTraceback(logging.Filter):
    """Logs a record's message without the traceback of its exception: for expected refusals."""

    def filter(self, record):
        record.exc_info = None
        record.exc_text = None
        return True
