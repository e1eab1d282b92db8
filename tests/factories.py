"""factory-boy factories for every model: Chinese names, English names, slugs derived from them.

Records are published unless a test asks for `status="draft"`.
"""

from types import SimpleNamespace

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils.text import slugify
from stdnum.cn import uscc as uscc_rule
from stdnum.iso7064 import mod_11_2, mod_97_10

from programs import models
from programs.models.schemes import CROCKFORD


# Valid synthetic identifiers of every scheme, with their check characters computed. Numbers are
# derived from `n`, so that tests get as many distinct, valid identifiers as they need without
# copying real ones.
def orcid(n: int) -> str:
    body = f"{9_000_000_000_000_00 + n:015d}"
    digits = body + mod_11_2.calc_check_digit(body)
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def isni(n: int) -> str:
    body = f"{8_000_000_000_000_00 + n:015d}"
    return body + mod_11_2.calc_check_digit(body)


def ror(n: int) -> str:
    number, chars = 1_000_000 + n, ""
    for _ in range(6):
        number, rest = divmod(number, 32)
        chars = CROCKFORD[rest] + chars
    value = 0
    for char in chars:
        value = value * 32 + CROCKFORD.index(char)
    return "0" + chars + mod_97_10.calc_check_digits(str(value))


def wikidata(n: int) -> str:
    return f"Q{900_000_000 + n}"


def crossref_funder(n: int) -> str:
    return f"10.13039/{900_000_000 + n}"


def grid(n: int) -> str:
    return f"grid.{900_000 + n}.{n % 16:x}"


def uscc(n: int) -> str:
    body = f"91110000{n:09d}"
    return body + uscc_rule.calc_check_digit(body)


def wrong_check(value: str) -> str:
    """The same identifier with its last check character changed: malformed by its scheme's rule."""
    last = value[-1]
    return value[:-1] + ("1" if last != "1" else "2")


identifiers = SimpleNamespace(
    orcid=orcid,
    isni=isni,
    ror=ror,
    wikidata=wikidata,
    crossref_funder=crossref_funder,
    grid=grid,
    uscc=uscc,
    wrong_check=wrong_check,
)


class PublishableFactory(factory.django.DjangoModelFactory):
    status = models.Status.PUBLISHED
    slug = factory.LazyAttributeSequence(lambda o, n: f"{slugify(o.name_en)}-{n}")

    class Meta:
        abstract = True


class ResearchAreaFactory(PublishableFactory):
    name = factory.Sequence(lambda n: f"研究领域{n}")
    name_en = factory.Sequence(lambda n: f"Research area {n}")

    class Meta:
        model = models.ResearchArea


class OrganizationFactory(PublishableFactory):
    name = factory.Sequence(lambda n: f"大学{n}")
    name_en = factory.Sequence(lambda n: f"University {n}")
    kind = models.OrganizationKind.UNIVERSITY
    country = "CN"

    class Meta:
        model = models.Organization


class CompanyFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"科技公司{n}")
    name_en = factory.Sequence(lambda n: f"Tech Company {n}")
    kind = models.OrganizationKind.COMPANY


class ProgramFactory(PublishableFactory):
    name = factory.Sequence(lambda n: f"联合实验室{n}")
    name_en = factory.Sequence(lambda n: f"Joint Lab {n}")
    kind = models.ProgramKind.JOINT_LAB
    lifecycle = models.Lifecycle.ACTIVE
    start_year = 2018

    class Meta:
        model = models.Program


class ParticipationFactory(factory.django.DjangoModelFactory):
    program = factory.SubFactory(ProgramFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = models.ParticipationRole.SPONSOR

    class Meta:
        model = models.Participation


class EditionFactory(factory.django.DjangoModelFactory):
    program = factory.SubFactory(ProgramFactory)
    year = factory.Sequence(lambda n: 2000 + n % 100)
    label = factory.LazyAttribute(lambda o: str(o.year))
    slug = factory.LazyAttributeSequence(lambda o, n: f"{o.program.slug}-{o.year}-{n}")

    class Meta:
        model = models.Edition


class PersonFactory(PublishableFactory):
    name = factory.Sequence(lambda n: f"学者{n}")
    name_en = factory.Sequence(lambda n: f"Scholar {n}")
    headline = "教授"

    class Meta:
        model = models.Person


class AffiliationFactory(factory.django.DjangoModelFactory):
    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"研究员{n}")

    class Meta:
        model = models.Affiliation


class InvolvementFactory(factory.django.DjangoModelFactory):
    person = factory.SubFactory(PersonFactory)
    program = factory.SubFactory(ProgramFactory)
    role = models.InvolvementRole.AWARDEE

    class Meta:
        model = models.Involvement


class ProjectFactory(PublishableFactory):
    name_en = factory.Sequence(lambda n: f"Research project {n}")
    title = factory.Sequence(lambda n: f"研究项目{n}")
    title_en = factory.SelfAttribute("name_en")
    program = factory.SubFactory(ProgramFactory)

    class Meta:
        model = models.Project
        exclude = ["name_en"]


class ProjectMemberFactory(factory.django.DjangoModelFactory):
    project = factory.SubFactory(ProjectFactory)
    person = factory.SubFactory(PersonFactory)
    role = models.MemberRole.MEMBER

    class Meta:
        model = models.ProjectMember


class SourceFactory(PublishableFactory):
    name_en = factory.Sequence(lambda n: f"Article {n}")
    title = factory.Sequence(lambda n: f"文章{n}")
    title_en = factory.SelfAttribute("name_en")
    publisher = "知识分子"
    published_on = factory.Faker("date_between", start_date="-5y", end_date="today")
    language = models.SourceLanguage.ZH_HANS

    class Meta:
        model = models.Source
        exclude = ["name_en"]


class CitationFactory(factory.django.DjangoModelFactory):
    source = factory.SubFactory(SourceFactory)
    record = factory.SubFactory(ProgramFactory)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.record))
    object_id = factory.SelfAttribute("record.pk")
    quote = factory.Sequence(lambda n: f"引文第{n}句。")

    class Meta:
        model = models.Citation
        exclude = ["record"]


class IdentifierFactory(factory.django.DjangoModelFactory):
    """An organization's ROR ID by default; pass `person=` with an ORCID iD, and so on."""

    scheme = models.IdentifierScheme.ROR
    value = factory.Sequence(identifiers.ror)
    organization = factory.SubFactory(OrganizationFactory)

    class Meta:
        model = models.Identifier


class SuggestionFactory(factory.django.DjangoModelFactory):
    """A received correction of a programme's start year, with its evidence; pass `record=` for another
    programme, or `is_new=True, name=…` (and `record=None`) for a proposed new record."""

    is_new = False
    record = factory.Maybe("is_new", no_declaration=factory.SubFactory(ProgramFactory), yes_declaration=None)
    record_type = factory.LazyAttribute(lambda o: models.SuggestedType.of_model(type(o.record)) or "program")
    record_id = factory.LazyAttribute(lambda o: o.record.pk if o.record is not None else None)
    record_label = factory.LazyAttribute(lambda o: str(o.record) if o.record is not None else "")
    name = factory.LazyAttribute(lambda o: "新的联合实验室" if o.is_new else "")
    field = factory.LazyAttribute(lambda o: "" if o.is_new else "start_year")
    value = factory.LazyAttribute(lambda o: "" if o.is_new else "2017")
    evidence_url = "https://example.org/news/1"
    quote = "该计划始于2017年。"

    class Meta:
        model = models.Suggestion
        exclude = ["record"]
