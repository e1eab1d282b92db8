from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programs.models.base import Named, PublishableModel, TimestampedModel, descriptive_name_field
from programs.models.fields import LinesField
from programs.models.history import History
from programs.models.querysets import CitationQuerySet, SourceQuerySet
from programs.models.search_keys import KEYS, search_key_fields

# An article's full text, for curators only: ten times the longest article the registry curates.
SOURCE_TEXT_MAX_CHARS = 300_000

# The models a citation may point at (ContentType.model names).
CITABLE_MODELS = (
    "organization",
    "program",
    "researcharea",
    "participation",
    "edition",
    "person",
    "affiliation",
    "involvement",
    "project",
    "projectmember",
)


class SourceLanguage(models.TextChoices):
    ZH_HANS = "zh-Hans", _("Simplified Chinese")
    ZH_HANT = "zh-Hant", _("Traditional Chinese")
    EN = "en", _("English")


class Source(Named, PublishableModel):
    """An article that facts in the tracker come from."""

    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    name_is_descriptive = descriptive_name_field(_("descriptive title"))
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    publisher_en = models.CharField(_("English publisher"), max_length=200, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=SourceLanguage)
    summary = models.TextField(_("summary"), blank=True)
    summary_en = models.TextField(_("English summary"), blank=True)
    search_names, search_words, search_text = search_key_fields()
    # The article as curators read it in the workspace (programs/curation/workspace/): the text
    # quotes are checked against. Copyrighted: shown to curators only, never on a public page, in
    # a download, a release, the API or a fixture file.
    text = models.TextField(
        _("full text"),
        blank=True,
        validators=[MaxLengthValidator(SOURCE_TEXT_MAX_CHARS)],
        help_text=_("The article's text, for curators only (never shown to the public)."),
    )
    # Names of the workspace's proposals a curator marked as not relevant, one "type:name" a line.
    # The workspace's memory rather than curated data: written without a history row (which would
    # copy the whole text each time).
    dismissed_proposals = LinesField(_("dismissed proposals"), editable=False)

    name_field = "title"

    objects = SourceQuerySet.as_manager()
    history = History(excluded_fields=[*KEYS, "dismissed_proposals"])

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "title"]
        indexes = [
            models.Index(fields=["-published_on", "title"], name="programs_source_date_idx"),
            models.Index(fields=["updated_at", "id"], name="programs_source_modified_idx"),
        ]
        permissions = [("publish_source", _("Can publish and unpublish sources"))]

    def __str__(self):
        return self.name_in(english=False)

    def get_absolute_url(self):
        return reverse("programs:source-detail", kwargs={"slug": self.slug})


class Citation(TimestampedModel):
    """Evidence for a record: the source it comes from and the sentence that supports it."""

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="citations")
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("record type"),
        on_delete=models.CASCADE,
        limit_choices_to={"app_label": "programs", "model__in": CITABLE_MODELS},
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    record = GenericForeignKey("content_type", "object_id")
    quote = models.TextField(_("quote"), help_text=_("The sentence of the source that supports the record."))
    locator = models.CharField(
        _("locator"), max_length=100, blank=True, help_text=_("Where in the source, e.g. a section heading.")
    )
    # Quotes are given as the page reads, in simplified characters; a scraped page may carry noise
    # (pinyin in brackets, characters a converter garbled) that the quote leaves out: a reader
    # comparing it with the page must know it differs.
    quote_repaired = models.BooleanField(
        _("quote repaired"),
        default=False,
        help_text=_(
            "The quote repairs the article's conversion noise (pinyin in brackets, garbled characters), "
            "so its text differs from the page's."
        ),
    )

    objects = CitationQuerySet.as_manager()
    history = History()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["source", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="programs_citation_record_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "source"],
                name="%(app_label)s_%(class)s_one_per_source",
                violation_error_message=_("This record already cites this source."),
            ),
            models.CheckConstraint(
                condition=~models.Q(quote=""),
                name="%(app_label)s_%(class)s_has_quote",
                violation_error_message=_("A citation needs a quote."),
            ),
        ]

    def __str__(self):
        model = ContentType.objects.get_for_id(self.content_type_id).model
        return f"{self.source} → {model} #{self.object_id}"

    def get_absolute_url(self):
        return self.source.get_absolute_url()
