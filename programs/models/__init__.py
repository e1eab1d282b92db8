"""The tracker's data model: programmes, the organizations and people in them, and their sources."""

from programs.models.base import MAX_YEAR, MIN_YEAR, Qualifier, Status, is_english
from programs.models.identifiers import Identifier
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
from programs.models.organizations import Organization, OrganizationKind, Sector
from programs.models.people import Affiliation, Involvement, InvolvementRole, Person
from programs.models.programs import (
    COUNT_FIELDS,
    QUALIFIED_COUNT_FIELDS,
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
from programs.models.schemes import IdentifierScheme
from programs.models.sources import CITABLE_MODELS, Citation, Source, SourceLanguage
from programs.models.suggestions import SuggestedType, Suggestion, SuggestionState

__all__ = [
    "CITABLE_MODELS",
    "COUNT_FIELDS",
    "MAX_YEAR",
    "MIN_YEAR",
    "QUALIFIED_COUNT_FIELDS",
    "Affiliation",
    "AmountBasis",
    "Citation",
    "Edition",
    "FacetCount",
    "FacetPair",
    "Identifier",
    "IdentifierScheme",
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
    "Qualifier",
    "ResearchArea",
    "Sector",
    "Source",
    "SourceLanguage",
    "SourceListing",
    "Status",
    "SuggestedType",
    "Suggestion",
    "SuggestionState",
    "is_english",
]
