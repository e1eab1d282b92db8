"""The read model's listings as models: one row per published record, with what lists sort, filter and count on.

The database keeps them (programs/reads/read_model): Django never writes them or migrates them. Pages
and the API read a listing's ids in order, then load the page's records themselves by id.
"""

import json

from django.db import connections, models
from django.db.models import Lookup


def maintained(using: str = "default") -> bool:
    """Whether the listings are tables with counts kept alongside (PostgreSQL), not views.

    Their live views (the `Live…Listing` models) compute the same rows when read, on any database.
    """
    return connections[using].vendor == "postgresql"


class TokensField(models.Field):
    """A listing's facet tokens (`kind:award`, `sponsor:12`): text[] on PostgreSQL, a JSON array on SQLite."""

    def db_type(self, connection):
        return "text[]" if connection.vendor == "postgresql" else "text"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return []
        return json.loads(value) if isinstance(value, str) else value


@TokensField.register_lookup
class HasAny(Lookup):
    """`facets__has_any=[tokens]`: the row has at least one of the tokens (a GIN index serves it)."""

    lookup_name = "has_any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        placeholders = ", ".join(["%s"] * len(self.rhs))
        sql = f"EXISTS (SELECT 1 FROM json_each({column}) j WHERE j.value IN ({placeholders}))"  # noqa: S608
        return sql, [*params, *self.rhs]

    def as_postgresql(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        return f"{column} && %s::text[]", [*params, list(self.rhs)]


class Listing(models.Model):
    """A listing's rows. Each listing has two models over the same columns: `<Name>Listing`, what
    the site reads (the table PostgreSQL keeps, a view computed when read on SQLite), and
    `Live<Name>Listing`, the live view computing it from the curated tables, which the checks and
    tests compare it with (`live` says which)."""

    id = models.BigIntegerField(primary_key=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    search_names = models.TextField()  # the record's names, as programs.models.search_keys keeps them
    search_words = models.TextField()
    search_text = models.TextField()  # what search matches: the record's text and its organizations' names
    facets = TokensField()

    live = False

    class Meta:
        abstract = True
        managed = False
        default_permissions = ()  # read by everyone, written by no one

    def __str__(self):
        return f"{self._meta.db_table} #{self.id}"


class ProgramColumns(Listing):
    listing = "program"
    name = models.CharField(max_length=200)
    name_en_sort = models.TextField()
    start_year = models.PositiveSmallIntegerField(null=True)

    class Meta(Listing.Meta):
        abstract = True


class OrganizationColumns(Listing):
    listing = "organization"
    name = models.CharField(max_length=200)
    name_en_sort = models.TextField()
    program_count = models.IntegerField()

    class Meta(Listing.Meta):
        abstract = True


class PersonColumns(Listing):
    listing = "person"
    name = models.CharField(max_length=100)
    name_en_sort = models.TextField()

    class Meta(Listing.Meta):
        abstract = True


class ProjectColumns(Listing):
    listing = "project"
    title = models.CharField(max_length=300)
    title_en_sort = models.TextField()
    year = models.PositiveSmallIntegerField(null=True)

    class Meta(Listing.Meta):
        abstract = True


class SourceColumns(Listing):
    listing = "source"
    title = models.CharField(max_length=300)
    title_en_sort = models.TextField()
    published_on = models.DateField(null=True)

    class Meta(Listing.Meta):
        abstract = True


class ProgramListing(ProgramColumns):
    class Meta(ProgramColumns.Meta):
        db_table = "programs_program_listing"


class LiveProgramListing(ProgramColumns):
    live = True

    class Meta(ProgramColumns.Meta):
        db_table = "programs_program_live"


class OrganizationListing(OrganizationColumns):
    class Meta(OrganizationColumns.Meta):
        db_table = "programs_organization_listing"


class LiveOrganizationListing(OrganizationColumns):
    live = True

    class Meta(OrganizationColumns.Meta):
        db_table = "programs_organization_live"


class PersonListing(PersonColumns):
    class Meta(PersonColumns.Meta):
        db_table = "programs_person_listing"


class LivePersonListing(PersonColumns):
    live = True

    class Meta(PersonColumns.Meta):
        db_table = "programs_person_live"


class ProjectListing(ProjectColumns):
    class Meta(ProjectColumns.Meta):
        db_table = "programs_project_listing"


class LiveProjectListing(ProjectColumns):
    live = True

    class Meta(ProjectColumns.Meta):
        db_table = "programs_project_live"


class SourceListing(SourceColumns):
    class Meta(SourceColumns.Meta):
        db_table = "programs_source_listing"


class LiveSourceListing(SourceColumns):
    live = True

    class Meta(SourceColumns.Meta):
        db_table = "programs_source_live"


class FacetCount(models.Model):
    """How many rows of a listing have a token (PostgreSQL; the empty facet counts the rows)."""

    listing = models.CharField(max_length=20, primary_key=True)  # the key is (listing, facet, value)
    facet = models.CharField(max_length=40)
    value = models.CharField(max_length=200)
    n = models.IntegerField()

    class Meta:
        managed = False
        default_permissions = ()
        db_table = "programs_facet_count"

    def __str__(self):
        return f"{self.listing} {self.facet}:{self.value} = {self.n}"


class FacetPair(models.Model):
    """How many rows of a listing have two tokens together: organizations sharing programmes (PostgreSQL)."""

    listing = models.CharField(max_length=20, primary_key=True)  # the key is all but `n`
    facet_a = models.CharField(max_length=40)
    value_a = models.CharField(max_length=200)
    facet_b = models.CharField(max_length=40)
    value_b = models.CharField(max_length=200)
    n = models.IntegerField()

    class Meta:
        managed = False
        default_permissions = ()
        db_table = "programs_facet_pair"

    def __str__(self):
        return f"{self.listing} {self.facet_a}:{self.value_a} & {self.facet_b}:{self.value_b} = {self.n}"
