"""External identifier schemes: what each accepts, its canonical form, its check rule and its resolver.

`normalise(code, raw)` turns any accepted input form of an identifier (e.g. an ORCID iD as a URL,
a ROR ID in capitals, an ISNI with spaces) into the one canonical value stored, or raises a
ValidationError naming the scheme's rule. The check characters are computed by python-stdnum's
implementations of ISO 7064 and GB 32100-2015, not by hand.

| scheme | canonical form | check |
|---|---|---|
| orcid | 0000-0002-1825-0097 | ISO 7064 MOD 11-2 on the 16th character |
| isni | 0000000121032683 | ISO 7064 MOD 11-2 on the 16th character |
| ror | 03vek6s52 | "0", 6 Crockford base-32 characters, 2 digits of ISO 7064 MOD 97-10 |
| wikidata | Q42 | Q followed by a number without leading zeros |
| crossref_funder | 10.13039/501100001809 | the Funder Registry's DOI prefix and a number |
| grid | grid.12527.33 | grid., a number, a dot and up to four letters or digits |
| uscc | 91110000600037341L | GB 32100-2015: 18 characters, the last a check character |
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.iso7064 import mod_11_2, mod_97_10

CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


class IdentifierScheme(models.TextChoices):
    ROR = "ror", _("ROR ID")
    WIKIDATA = "wikidata", _("Wikidata item")
    ISNI = "isni", _("ISNI")
    CROSSREF_FUNDER = "crossref_funder", _("Crossref Funder ID")
    GRID = "grid", _("GRID ID")
    USCC = "uscc", _("Unified Social Credit Code")
    ORCID = "orcid", _("ORCID iD")


# Which records each scheme identifies.
ORGANIZATION_SCHEMES = ("ror", "wikidata", "isni", "crossref_funder", "grid", "uscc")
PERSON_SCHEMES = ("orcid", "wikidata", "isni")
PROGRAM_SCHEMES = ("wikidata",)
SCHEMES_OF = {"organization": ORGANIZATION_SCHEMES, "person": PERSON_SCHEMES, "program": PROGRAM_SCHEMES}

MALFORMED = _("“%(value)s” is not a valid %(scheme)s: %(rule)s.")
UNKNOWN_SCHEME = _("“%(scheme)s” is not an identifier scheme; use one of: %(schemes)s.")
NOT_SCHEME_VALUE = _("Give an identifier as scheme:value (e.g. ror:03vek6s52) or as its web address.")


@dataclass(frozen=True)
class Scheme:
    code: str
    pattern: str  # the canonical form, once prefixes are stripped and case and separators fixed
    rule: str  # what the form and check require, for messages
    resolver: str = ""  # a web address with {} for the value; "" when the scheme has none
    prefixes: tuple[str, ...] = ()  # accepted address forms, stripped before checking (lower-case)
    tidy: Callable[[str], str] = str.strip  # case and separators, before the pattern is checked
    check: Callable[[str], bool] = lambda value: True  # the check characters of a well-formed value
    check_rule: str = ""  # what `check` verifies, for messages

    @property
    def label(self) -> str:
        return IdentifierScheme(self.code).label

    def url(self, value: str) -> str:
        return self.resolver.format(value) if self.resolver else ""

    def normalise(self, raw: str) -> str:
        """The canonical value of `raw`, or ValidationError naming this scheme's rule."""
        text = str(raw).strip()
        lowered = text.lower()
        for prefix in self.prefixes:
            if lowered.startswith(prefix):
                text = text[len(prefix) :]
                break
        value = self.tidy(text)
        if not re.fullmatch(self.pattern, value):
            raise self.error(raw, self.rule)
        if not self.check(value):
            raise self.error(raw, self.check_rule)
        return value

    def error(self, raw, rule) -> ValidationError:
        params = {"value": str(raw)[:100], "scheme": self.label, "rule": rule}
        return ValidationError(MALFORMED, code="invalid_identifier", params=params)


def _orcid_tidy(text: str) -> str:
    digits = re.sub(r"[\s-]", "", text).upper()
    return "-".join(digits[i : i + 4] for i in range(0, len(digits), 4)) if len(digits) == 16 else digits


def _mod_11_2(value: str) -> bool:
    return mod_11_2.is_valid(value.replace("-", ""))


def _ror_check(value: str) -> bool:
    number = 0
    for char in value[1:7]:
        number = number * 32 + CROCKFORD.index(char)
    return mod_97_10.calc_check_digits(str(number)) == value[7:]


def _uscc_check(value: str) -> bool:
    try:
        uscc.validate(value)
    except StdnumError:  # a wrong check character (or a code GB 32100-2015 does not allow there)
        return False
    return True


SCHEMES = {
    scheme.code: scheme
    for scheme in (
        Scheme(
            code="orcid",
            pattern=r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]",
            rule=_("sixteen characters in groups of four, e.g. 0000-0002-1825-0097"),
            resolver="https://orcid.org/{}",
            prefixes=("https://orcid.org/", "http://orcid.org/", "orcid.org/"),
            tidy=_orcid_tidy,
            check=_mod_11_2,
            check_rule=_("its last character is not the ISO 7064 MOD 11-2 check character of the others"),
        ),
        Scheme(
            code="isni",
            pattern=r"\d{15}[\dX]",
            rule=_("sixteen characters, digits and a final digit or X, e.g. 0000000121032683"),
            resolver="https://isni.org/isni/{}",
            prefixes=("https://isni.org/isni/", "http://isni.org/isni/", "isni.org/isni/", "isni "),
            tidy=lambda text: re.sub(r"[\s-]", "", text).upper(),
            check=_mod_11_2,
            check_rule=_("its last character is not the ISO 7064 MOD 11-2 check character of the others"),
        ),
        Scheme(
            code="ror",
            pattern=r"0[0-9a-hjkmnp-tv-z]{6}\d{2}",
            rule=_("nine characters: 0, six Crockford base-32 characters and two check digits, e.g. 03vek6s52"),
            resolver="https://ror.org/{}",
            prefixes=("https://ror.org/", "http://ror.org/", "ror.org/"),
            tidy=lambda text: text.strip().lower(),
            check=_ror_check,
            check_rule=_("its last two digits are not the ISO 7064 MOD 97-10 checksum of the six before them"),
        ),
        Scheme(
            code="wikidata",
            pattern=r"Q[1-9]\d*",
            rule=_("Q followed by a number without leading zeros, e.g. Q42"),
            resolver="https://www.wikidata.org/wiki/{}",
            prefixes=(
                "https://www.wikidata.org/wiki/",
                "http://www.wikidata.org/wiki/",
                "https://www.wikidata.org/entity/",
                "http://www.wikidata.org/entity/",
                "wd:",
            ),
            tidy=lambda text: text.strip().upper(),
        ),
        Scheme(
            code="crossref_funder",
            pattern=r"10\.13039/[1-9]\d*",
            rule=_("the Funder Registry's DOI, 10.13039/ followed by a number, e.g. 10.13039/501100001809"),
            resolver="https://doi.org/{}",
            prefixes=("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"),
            tidy=lambda text: text.strip().lower(),
        ),
        Scheme(
            code="grid",
            pattern=r"grid\.\d+\.[0-9a-z]{1,4}",
            rule=_("grid., a number, a dot and up to four letters or digits, e.g. grid.12527.33"),
            resolver="https://www.grid.ac/institutes/{}",
            prefixes=("https://www.grid.ac/institutes/", "http://www.grid.ac/institutes/"),
            tidy=lambda text: text.strip().lower(),
        ),
        Scheme(
            code="uscc",
            pattern=r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}",
            rule=_("eighteen digits and capital letters (GB 32100-2015), e.g. 91110000600037341L"),
            tidy=lambda text: re.sub(r"[\s-]", "", text).upper(),
            check=_uscc_check,
            check_rule=_("its last character is not the GB 32100-2015 check character of the others"),
        ),
    )
}


def scheme_of(code: str) -> Scheme:
    """The scheme named `code`, or ValidationError listing the schemes."""
    try:
        return SCHEMES[code]
    except KeyError:
        raise ValidationError(
            UNKNOWN_SCHEME, code="unknown_scheme", params={"scheme": str(code)[:40], "schemes": ", ".join(SCHEMES)}
        ) from None


def normalise(code: str, raw: str) -> str:
    """The canonical value of an identifier of scheme `code` (see the module's table)."""
    return scheme_of(code).normalise(raw)


def parse(text: str) -> tuple[str, str]:
    """(scheme, canonical value) of `scheme:value` (`ror:03vek6s52`) or of a resolver's address
    (`https://ror.org/03vek6s52`); ValidationError when it is neither or the value is malformed."""
    text = str(text).strip()
    lowered = text.lower()
    for scheme in SCHEMES.values():
        if any(lowered.startswith(prefix) for prefix in scheme.prefixes if "/" in prefix):
            return scheme.code, scheme.normalise(text)
    code, separator, value = text.partition(":")
    if not separator or not value:
        raise ValidationError(NOT_SCHEME_VALUE, code="invalid_identifier")
    return code.lower(), normalise(code.lower(), value)
