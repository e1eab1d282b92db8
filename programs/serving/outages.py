"""What a request gets when its database fails: a 503 with Retry-After, logged in one line.

Two kinds of failure, told apart here for everything that answers them (the pages' middleware,
the API's error handler): a statement that ran past its bound (programs.serving.timeouts), which
the server cancelled on a connection that still works, and a database that cannot be reached or
dropped the connection. The request's route remembers which (programs.serving.routing): a
public read whose database could not be reached is run once more on a fresh connection, a
cancelled one is not (it would only run as long again). Either is logged with the request's
address and client, without a traceback: an outage is an operator's event, not a bug.
"""

import logging

from django.db import InterfaceError, InternalError, OperationalError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from programs.serving import routing
from programs.serving.security import client_ip

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by its timeout

# The errors that mean the database could not answer: psycopg's connection and timeout errors reach
# Django as one of these, and so does a connection left in a state it cannot read (a server
# stopped mid-transaction behind PgBouncer: "received 2 results from command 'COMMIT'").
DATABASE_FAILURES = (OperationalError, InterfaceError, InternalError)

NOT_SAVED = _("Nothing was saved: send the form again once the site is back.")


def timed_out(error: Exception) -> bool:
    """Whether `error` is a statement the database cancelled when it ran past its timeout."""
    return getattr(error.__cause__, "sqlstate", None) == QUERY_CANCELED


def note(request, error: Exception) -> None:
    """Tell the request's route what kind of failure it was, and log the first of each run in one line."""
    kind = routing.TIMED_OUT if timed_out(error) else routing.UNREACHABLE
    if not routing.failed(kind):
        return
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    what = "Statement timeout" if kind == routing.TIMED_OUT else "Database unavailable"
    logger.error(
        "%s for %s %s from %s: %s", what, request.method, request.get_full_path(), client_ip(request), first_line
    )


def unavailable_page(request, error: Exception):
    """The 503 page (standalone: it reads nothing), with Retry-After, for a request whose database failed."""
    note(request, error)
    context = {
        "timed_out": timed_out(error),
        "not_saved": NOT_SAVED if request.method not in routing.SAFE_METHODS else "",
    }
    response = render(request, "503.html", context, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.database_unavailable = True  # PageCacheMiddleware may answer with a stale copy instead
    return response
