"""A large queryset read a chunk at a time, in bounded memory, behind a connection pooler too."""

from collections.abc import Iterator
from itertools import islice

from django.db import connections, transaction

from programs.serving.timeouts import bound_long_reads


def chunks(queryset, size: int) -> Iterator[list]:
    """The rows of `queryset`, `size` at a time, from one server-side cursor on PostgreSQL.

    The cursor is declared and read in one transaction. Outside one, Django declares it WITH
    HOLD, to outlive the implicit transaction of its declaration; behind PgBouncer in transaction
    pooling mode the next fetch may then reach another server connection, where the cursor does
    not exist. Inside one, every fetch goes to the server connection that declared it. (Within a
    transaction already, that one serves: no savepoint is needed for reading.) A transaction of
    its own bounds its statements by the long statement timeout (programs.serving.timeouts): an
    export's rows are read after its request, and the request's bound, have ended.
    """
    using = queryset.db
    own = not connections[using].in_atomic_block
    with transaction.atomic(using=using, savepoint=False):
        if own:
            bound_long_reads(using)
        rows = queryset.iterator(chunk_size=size)
        while chunk := list(islice(rows, size)):
            yield chunk
