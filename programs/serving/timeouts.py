"""Statement timeouts: no query of a request runs longer than its bound (PostgreSQL).

A public request's statements are bounded by STATEMENT_TIMEOUT_SECONDS (2 s), so that one slow
query cannot hold a worker; a curator's (a request with a session, or to the admin) and the
exports' rows, streamed after their view returned (programs.reads.chunks), by
LONG_STATEMENT_TIMEOUT_SECONDS. A statement past its bound is cancelled by the server; the
request answers 503 with Retry-After and is logged in one line (programs.serving.outages).

The bound is `SET LOCAL`, in a transaction around the view: PgBouncer in transaction pooling mode
gives each transaction whichever server connection is free, so a session's `SET` would leave its
bound on a connection that another client's transaction gets next, and a transaction's own is
the only one that holds. The transaction is the request's reading database's (the replica's,
for a public read there); a request that answers with a server error is rolled back whole. On
SQLite nothing is bounded.
"""

from django.conf import settings
from django.db import connections, transaction

from programs.serving import outages, routing


def bound(using: str, seconds: float) -> None:
    """Bound the statements of the current transaction on `using` (PostgreSQL; else nothing)."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not seconds:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{round(seconds * 1000)}ms"])


def bound_long_reads(using: str) -> None:
    """Bound a transaction that reads a great many rows (an export, a release) by the long bound."""
    bound(using, settings.LONG_STATEMENT_TIMEOUT_SECONDS)


def seconds_for(request) -> float:
    """The bound of a request's statements: the long one for a curator, the short one for the public."""
    if request.path.startswith(routing.PRIVATE_PREFIXES) or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return settings.LONG_STATEMENT_TIMEOUT_SECONDS
    return settings.STATEMENT_TIMEOUT_SECONDS


class StatementTimeoutMiddleware:
    """Runs the view in a transaction whose statements are bounded (see the module's description)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        using = routing.read_database()
        if connections[using].vendor != "postgresql":
            return self.get_response(request)
        try:
            with transaction.atomic(using=using):
                bound(using, seconds_for(request))
                response = self.get_response(request)
                if response.status_code >= 500:
                    transaction.set_rollback(True, using=using)
        except outages.DATABASE_FAILURES as error:
            # Beginning, bounding or committing failed: nothing the view did was kept, and its
            # answer (a curator's "saved", say) must not be sent.
            return outages.unavailable_page(request, error)
        return response
