"""Valid synthetic identifiers of every scheme, with their check characters computed.

Numbers are derived from `n`, so that tests get as many distinct, valid identifiers as they need
without copying real ones.
"""

from stdnum.cn import uscc as uscc_rule
from stdnum.iso7064 import mod_11_2, mod_97_10

from programs.models.schemes import CROCKFORD


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
