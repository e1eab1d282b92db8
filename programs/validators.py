"""An import path the migrations name: the code lives in `programs.models.validators`; nothing else imports it."""

from programs.models.validators import validate_currency, validate_slug_not_reserved

__all__ = ["validate_currency", "validate_slug_not_reserved"]
