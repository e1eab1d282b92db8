"""An import path the migrations name: the code lives in `programs.models.fields`; nothing else imports it."""

from programs.models.fields import LinesField

__all__ = ["LinesField"]
