"""The tracker's data model: programmes, the organizations and people in them, and their sources."""

from programs.models.base import MAX_YEAR, MIN_YEAR, Status
from programs.models.listings import (
    FacetCount,
    FacetPair,
    LiveOrganizationListing,
    LivePersonListing,
    LiveProgramListing,
    LiveProjectListing,
    LiveSourceListing,
    OrganizationListing,
    PersonListing,
    ProgramListing,
    ProjectListing,
    SourceListing,
)
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

__all__ = [
    "CITABLE_MODELS",
    "MAX_YEAR",
    "MIN_YEAR",
    "Affiliation",
    "AmountBasis",
    "Citation",
    "Edition",
    "FacetCount",
    "FacetPair",
    "Involvement",
    "InvolvementRole",
    "Lifecycle",
    "LiveOrganizationListing",
    "LivePersonListing",
    "LiveProgramListing",
    "LiveProjectListing",
    "LiveSourceListing",
    "MemberRole",
    "Organization",
    "OrganizationKind",
    "OrganizationListing",
    "Participation",
    "ParticipationRole",
    "Person",
    "PersonListing",
    "Program",
    "ProgramKind",
    "ProgramListing",
    "Project",
    "ProjectListing",
    "ProjectMember",
    "ResearchArea",
    "Source",
    "SourceLanguage",
    "SourceListing",
    "Status",
]
