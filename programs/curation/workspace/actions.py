"""What the workspace writes: a source's text, a sentence cited on a record, a draft created from a
proposal, an organization linked to a programme, a proposal dismissed.

Each is one transaction that writes all or nothing, through model validation (`full_clean`) and
`save()`, as the admin does: history keeps every change under the curator's name with the reason
"article workspace". Records are created as drafts whatever the curator's role: nothing is
published from the workspace. The database's constraints decide races: a sentence two curators
cite on one record at once is one citation, and the second hears that the record cites the source
already; a proposal whose name someone gave a record meanwhile creates nothing and names that
record.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from programs.curation.workspace.matcher import registry
from programs.curation.workspace.reading import folded_name
from programs.models import Citation, Organization, Participation, Person, Program, Source, Status
from programs.models.slugs import free_slug

REASON = "article workspace"
CREATABLE = {"program": Program, "organization": Organization, "person": Person}

ALREADY_CITES = _("%(record)s already cites this article; its quote is kept.")
EXISTS_ALREADY = _("“%(name)s” is in the registry already (%(record)s): cite the sentence on it instead.")
ALREADY_LINKED = _("%(organization)s is already the programme's %(role)s.")
NOT_CREATABLE = _("A %(type)s cannot be created here: add it in its admin page, with its programme.")


@dataclass
class WorkspaceError(Exception):
    """A write the workspace refused, and why (for the curator)."""

    message: str
    record: object = None  # the record the message is about, when there is one


def save(record, user) -> None:
    """Validate and save one record as the admin would, history naming `user`."""
    record._history_user = user
    record._change_reason = REASON
    record.full_clean()
    record.save()


def source_set_text(*, source: Source, text: str, user) -> None:
    source.text = text
    with transaction.atomic():
        save(source, user)


def sentence_cite(*, source: Source, record, quote: str, user, repaired: bool = False) -> Citation:
    """Cite `quote` on `record` (`repaired`: the quote drops the page's scraping noise); WorkspaceError
    when the record cites the source already."""
    citation = Citation(source=source, content_type=ContentType.objects.get_for_model(record), object_id=record.pk)
    citation.quote, citation.quote_repaired = quote, repaired
    try:
        with transaction.atomic():
            save(citation, user)
    except (ValidationError, IntegrityError):  # the check, or the constraint when another cited it meanwhile
        if not Citation.objects.filter(source=source, content_type=citation.content_type, object_id=record.pk).exists():
            raise
        raise WorkspaceError(ALREADY_CITES % {"record": record}, record) from None
    return citation


def named_already(model, name: str):
    """A record of `model` one of whose names is `name` (folded), or None."""
    type_ = next(type_ for type_, creatable in CREATABLE.items() if creatable is model)
    for record in registry().named(folded_name(name)):
        if record.type == type_:
            return model.objects.filter(slug=record.slug).first()
    return None


def record_create_draft(
    *, source: Source, type_: str, name: str, kind: str, quote: str, sponsor=None, user, repaired: bool = False
):
    """A draft record from a proposal, citing its sentence, and its sponsor's participation."""
    model = CREATABLE.get(type_)
    if model is None:
        raise WorkspaceError(NOT_CREATABLE % {"type": type_})
    existing = named_already(model, name)
    if existing is not None:
        raise WorkspaceError(EXISTS_ALREADY % {"name": name, "record": existing}, existing)
    record = model(name=name, slug=free_slug(model, name), status=Status.DRAFT)
    if kind:
        record.kind = kind
    try:
        with transaction.atomic():
            save(record, user)
            sentence_cite(source=source, record=record, quote=quote, user=user, repaired=repaired)
            if sponsor is not None and model is Program:
                participation_link(
                    source=source,
                    program=record,
                    organization=sponsor,
                    role="sponsor",
                    quote=quote,
                    user=user,
                    repaired=repaired,
                )
    except (ValidationError, IntegrityError) as error:  # e.g. the slug, taken by a record created since it was chosen
        existing = model.objects.filter(slug=record.slug).first()
        if existing is not None:
            raise WorkspaceError(EXISTS_ALREADY % {"name": name, "record": existing}, existing) from None
        raise WorkspaceError(" ".join(getattr(error, "messages", [str(error)]))) from None
    return record


def participation_link(
    *, source: Source, program, organization, role: str, quote: str, user, repaired: bool = False
) -> Participation:
    """Link an organization to a programme with a role, citing the sentence; WorkspaceError when
    it is linked so already."""
    participation = Participation(program=program, organization=organization, role=role)
    try:
        with transaction.atomic():
            save(participation, user)
            sentence_cite(source=source, record=participation, quote=quote, user=user, repaired=repaired)
    except (ValidationError, IntegrityError):
        linked = Participation.objects.filter(program=program, organization=organization, role=role).exists()
        if not linked:
            raise
        message = ALREADY_LINKED % {"organization": organization, "role": participation.get_role_display()}
        raise WorkspaceError(message, program) from None
    return participation


def proposal_dismiss(*, source: Source, key: str) -> None:
    """Remember that a proposal is not relevant for this source (kept without history: see Source)."""
    with transaction.atomic():
        locked = Source.objects.select_for_update().only("dismissed_proposals").get(pk=source.pk)
        if key not in locked.dismissed_proposals:
            Source.objects.filter(pk=source.pk).update(dismissed_proposals=[*locked.dismissed_proposals, key])
