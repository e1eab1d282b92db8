"""How complete a record is: which of the fields a curator should fill are filled.

Each curated model lists its criteria (a translated label and a condition the database evaluates);
`with_completeness()` annotates a queryset with `completeness`, the percentage of criteria met
(rounded down), and `filled_<criterion>` for each, so that the admin lists show and filter the
score without a query per row. A gap the sources leave (a year no source gives) still counts as
unfilled: the score says how much the record tells, not how much work is left.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Case, Exists, ExpressionWrapper, IntegerField, OuterRef, Q, Value, When
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from programs import models


@dataclass(frozen=True)
class Criterion:
    key: str
    label: Promise
    condition: object  # a Q, or a callable (model) -> boolean expression, built when a query is

    def expression(self, model):
        condition = self.condition(model) if callable(self.condition) else self.condition
        return condition if isinstance(condition, Exists) else ExpressionWrapper(condition, BooleanField())


def filled(field: str) -> Q:
    return ~Q(**{field: ""})


def cited(model) -> Exists:
    content_type = ContentType.objects.get_for_model(model)
    return Exists(models.Citation.objects.filter(content_type=content_type, object_id=OuterRef("pk")))


def has(related_model, link: str):
    return lambda model: Exists(related_model.objects.filter(**{link: OuterRef("pk")}))


ENGLISH_NAME = Criterion("name_en", _("English name"), filled("name_en"))
CITATION = Criterion("cited", _("citation"), cited)

CRITERIA = {
    models.Program: (
        ENGLISH_NAME,
        Criterion("summary", _("summary"), filled("summary")),
        Criterion("summary_en", _("English summary"), filled("summary_en")),
        Criterion("years", _("years"), Q(start_year__isnull=False) | Q(end_year__isnull=False)),
        Criterion("lifecycle", _("lifecycle"), ~Q(lifecycle=models.Lifecycle.UNKNOWN)),
        Criterion("research_areas", _("research areas"), has(models.Program.research_areas.through, "program")),
        Criterion("participants", _("participants"), has(models.Participation, "program")),
        CITATION,
    ),
    models.Organization: (
        ENGLISH_NAME,
        Criterion("country", _("country"), filled("country")),
        Criterion("city", _("city"), filled("city")),
        Criterion("description", _("description"), filled("description")),
        Criterion("description_en", _("English description"), filled("description_en")),
        CITATION,
    ),
    models.Person: (
        ENGLISH_NAME,
        Criterion("headline", _("headline"), filled("headline")),
        Criterion("headline_en", _("English headline"), filled("headline_en")),
        Criterion("bio", _("biography"), filled("bio")),
        Criterion("bio_en", _("English biography"), filled("bio_en")),
        Criterion("career", _("career"), has(models.Affiliation, "person")),
        CITATION,
    ),
    models.Project: (
        Criterion("title_en", _("English title"), filled("title_en")),
        Criterion("summary", _("summary"), filled("summary")),
        Criterion("summary_en", _("English summary"), filled("summary_en")),
        Criterion("year", _("year"), Q(year__isnull=False)),
        Criterion("outcomes", _("outcomes"), filled("outcomes")),
        Criterion("outcomes_en", _("English outcomes"), filled("outcomes_en")),
        Criterion("members", _("members"), has(models.ProjectMember, "project")),
        CITATION,
    ),
    models.ResearchArea: (
        ENGLISH_NAME,
        Criterion("description", _("description"), filled("description")),
        Criterion("description_en", _("English description"), filled("description_en")),
        CITATION,
    ),
    models.Edition: (
        Criterion("label_en", _("English label"), filled("label_en")),
        Criterion("year", _("year"), Q(year__isnull=False)),
        Criterion(
            "counts",
            _("a count"),
            Q(recipient_count__isnull=False) | Q(project_count__isnull=False) | Q(application_count__isnull=False),
        ),
        Criterion("notes", _("notes"), filled("notes")),
        Criterion("notes_en", _("English notes"), filled("notes_en")),
        CITATION,
    ),
    models.Source: (
        Criterion("title_en", _("English title"), filled("title_en")),
        Criterion("publisher", _("publisher"), filled("publisher")),
        Criterion("published_on", _("date"), Q(published_on__isnull=False)),
        Criterion("url", _("URL"), filled("url")),
        Criterion("summary", _("summary"), filled("summary")),
        Criterion("summary_en", _("English summary"), filled("summary_en")),
    ),
}


def with_completeness(queryset):
    """`queryset` with `completeness` (0–100) and `filled_<key>` for each of its model's criteria."""
    model = queryset.model
    criteria = CRITERIA[model]
    flags = {f"filled_{criterion.key}": criterion.expression(model) for criterion in criteria}
    met = sum(
        (Case(When(expression, then=Value(1)), default=Value(0)) for expression in flags.values()),
        start=Value(0),
    )
    score = ExpressionWrapper(met * Value(100) / Value(len(criteria)), output_field=IntegerField())
    return queryset.annotate(**flags, completeness=score)


def missing(record) -> list:
    """The labels of the criteria a record annotated by `with_completeness()` does not meet."""
    return [criterion.label for criterion in CRITERIA[type(record)] if not getattr(record, f"filled_{criterion.key}")]
