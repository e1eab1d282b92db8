"""The tracker's data model: programmes, the organizations and people in them, and their sources."""

from programs.models.base import MAX_YEAR, MIN_YEAR, Status
from programs.models.identifiers import Identifier
from programs.models.organizations import Organization, OrganizationKind
from programs.models.people import Affiliation, Involvement, InvolvementRole, Person
from programs.models.programs import (
    AmountBasis,
    Edition,
    Lifecycle,
    Participation,
    ParticipationRole,
    Program,
    ProgramKind,
    ResearchArea,
)
from programs.models.projects import MemberRole, Project, ProjectMember
from programs.models.sources import CITABLE_MODELS, Citation, Source, SourceLanguage
from programs.schemes import IdentifierScheme

__all__ = [
    "CITABLE_MODELS",
    "MAX_YEAR",
    "MIN_YEAR",
    "Affiliation",
    "AmountBasis",
    "Citation",
    "Edition",
    "Identifier",
    "IdentifierScheme",
    "Involvement",
    "InvolvementRole",
    "Lifecycle",
    "MemberRole",
    "Organization",
    "OrganizationKind",
    "Participation",
    "ParticipationRole",
    "Person",
    "Program",
    "ProgramKind",
    "Project",
    "ProjectMember",
    "ResearchArea",
    "Source",
    "SourceLanguage",
    "Status",
]
