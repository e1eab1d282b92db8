"""/api/changes/: what changed among the public records, oldest first, from the history (programs/opendata/changes.py).

`?since=` (an ISO 8601 date or date-time) starts after a moment, no parameter from the beginning;
each answer gives `next`, the signed cursor of what follows, to follow at once while `has_more`
is true and later to poll for newer changes.
"""

import datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from programs.api.cursors import cursor_decode, cursor_encode
from programs.api.pagination import read_page_size
from programs.api.schema import VALIDATION_ERROR_SCHEMA
from programs.opendata import records
from programs.opendata.changes import Position, changes_page
from programs.reads.filters import ModifiedSinceField
from programs.serving.caching import cached

PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
ACTIONS = ["created", "updated", "unpublished", "deleted"]

SINCE_OR_CURSOR = _("Give since or cursor, not both: the cursor carries where the walk started.")

ENTRY_FIELDS = {
    "type": serializers.ChoiceField(choices=[entity.name for entity in records.ENTITIES]),
    "slug": serializers.CharField(),
    "action": serializers.ChoiceField(
        choices=ACTIONS,
        help_text="created or updated (with `record`), unpublished or deleted (a tombstone, without).",
    ),
    "time": serializers.DateTimeField(help_text="When the change was made."),
    "record": serializers.DictField(
        required=False,
        help_text="The record as it is now, as in the data releases (see /data/); absent from tombstones.",
    ),
}


class ChangesView(APIView):
    @extend_schema(
        operation_id="changes_list",
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.STR,
                description="Changes at or after this ISO 8601 date or date-time (the site's time zone when naive).",
            ),
            OpenApiParameter("cursor", OpenApiTypes.STR, description="Where to go on: the `next` of an answer."),
            OpenApiParameter(
                "page_size",
                OpenApiTypes.INT,
                description=f"Changes per answer, 1 to {MAX_PAGE_SIZE} (default {PAGE_SIZE}).",
            ),
        ],
        responses={
            200: inline_serializer(
                "ChangesPage",
                {
                    "results": inline_serializer("Change", ENTRY_FIELDS, many=True),
                    "next": serializers.URLField(help_text="This feed after these changes: follow it, or poll it."),
                    "has_more": serializers.BooleanField(help_text="More changes are there to read now."),
                },
            ),
            400: VALIDATION_ERROR_SCHEMA,
        },
    )
    def get(self, request):
        """Every public record created, updated, unpublished or deleted, in the order it happened.

        A record comes as it is now (with `record`), or as a tombstone once it is no longer public;
        applying the entries in order to an empty copy gives the current data release.
        """
        params = request.query_params
        size = read_page_size(params.get("page_size"), PAGE_SIZE, MAX_PAGE_SIZE)
        if params.get("cursor"):
            if params.get("since"):
                raise ValidationError({"since": [SINCE_OR_CURSOR]})
            position, origin = self.read_cursor(params["cursor"])
        elif params.get("since"):
            try:
                origin = ModifiedSinceField().clean(params["since"])
            except Exception as error:  # a django ValidationError, reported like the filters' errors
                raise ValidationError({"since": list(getattr(error, "messages", [str(error)]))}) from None
            position = Position(origin, -1, -1)
        else:
            position, origin = None, None
        return Response(
            cached("api", (request.build_absolute_uri(), size), lambda: self.answer(position, origin, size))
        )

    @staticmethod
    def read_cursor(raw):
        value = cursor_decode("changes", raw)
        position = value["p"] and Position(datetime.datetime.fromisoformat(value["p"][0]), *value["p"][1:])
        return position, value["o"] and datetime.datetime.fromisoformat(value["o"])

    def answer(self, position, origin, size) -> dict:
        page = changes_page(position, origin=origin, limit=size)
        at = page.position
        if not page.has_more and at is not None:
            origin = at.date  # caught up: from here on, "created" means first published after this point
        cursor = cursor_encode(
            "changes",
            {
                "p": at and [at.date.isoformat(), at.rank, at.history_id, at.skip],
                "o": origin and origin.isoformat(),
            },
        )
        url = remove_query_param(self.request.build_absolute_uri(), "since")
        return {"results": page.entries, "next": replace_query_param(url, "cursor", cursor), "has_more": page.has_more}
