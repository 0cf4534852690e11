"""Professional registration: the registers, their number formats, and reading a typed number.

The one place for these rules: the profile form, the register search, bulk verification and
watch lists all normalise and check numbers here.

- Numbers are ASCII only. Every pattern spells out [0-9] and [A-Z]: `\\d` would accept any
  Unicode digit (full-width ７, Arabic-Indic ٧), letting a look-alike claim someone's number.
- The formats do not overlap, so a number alone says which register it is on: it is unique
  across registers, and the register search and watch lists look numbers up without one.
- Voluntary registers (for sports and exercise therapists and other unregulated roles) sit
  beside the statutory regulators; their numbers carry the register's letters.
"""

import re
from dataclasses import dataclass

from django.db import models


class Regulator(models.TextChoices):
    GMC = "gmc", "General Medical Council (GMC)"
    HCPC = "hcpc", "Health and Care Professions Council (HCPC)"
    NMC = "nmc", "Nursing and Midwifery Council (NMC)"
    GOSC = "gosc", "General Osteopathic Council (GOsC)"
    BASRAT = "basrat", "British Association of Sport Rehabilitators and Trainers (BASRaT)"
    STO = "sto", "The Sports Therapy Organisation (STO)"
    NONE = "none", "Not on a professional register"


@dataclass(frozen=True)
class RegisterFormat:
    short_name: str  # "GMC", shown before the number: "GMC 7012345"
    pattern: re.Pattern
    message: str  # what a person is told when a number does not match
    statutory: bool


# HCPC numbers start with the letters of the profession's part of the register.
HCPC_PROFESSIONS = "AS|BS|CH|CS|DT|HAD|OR|ODP|OT|PA|PH|PO|PYL|RA|SL"
FORMATS = {
    Regulator.GMC: RegisterFormat(
        "GMC",
        re.compile(r"[0-9]{7}"),
        "A GMC number is 7 digits, for example 1234567.",
        True,
    ),
    Regulator.HCPC: RegisterFormat(
        "HCPC",
        re.compile(rf"(?:{HCPC_PROFESSIONS})[0-9]{{4,6}}"),
        "An HCPC number is the letters of your profession then 4 to 6 digits, for example "
        "PH123456.",
        True,
    ),
    Regulator.NMC: RegisterFormat(
        "NMC",
        re.compile(r"[0-9]{2}[A-Z][0-9]{4}[A-Z]"),
        "An NMC PIN is 2 digits, a letter, 4 digits and a letter, for example 12A3456E.",
        True,
    ),
    Regulator.GOSC: RegisterFormat(
        "GOsC",
        re.compile(r"[0-9]{4,5}"),
        "A GOsC number is 4 or 5 digits, for example 12345.",
        True,
    ),
    Regulator.BASRAT: RegisterFormat(
        "BASRaT",
        re.compile(r"BR[0-9]{4,6}"),
        "A BASRaT membership number is BR then 4 to 6 digits, for example BR01234.",
        False,
    ),
    Regulator.STO: RegisterFormat(
        "STO",
        re.compile(r"STO[0-9]{4,6}"),
        "A Sports Therapy Organisation number is STO then 4 to 6 digits, for example STO12345.",
        False,
    ),
}
NUMBER_MAX_LENGTH = 20
NOT_A_NUMBER = "is not a GMC, HCPC, NMC, GOsC, BASRaT or STO registration number"


def normalise_registration_number(value) -> str:
    """As numbers are stored and looked up: no whitespace, upper case, nothing unprintable.

    Nothing else is changed: a full-width or other non-ASCII digit stays as it is, so that
    it fails every format instead of being quietly read as an ASCII one.
    """
    text = "".join(str(value or "").split()).upper()
    return "".join(char for char in text if char.isprintable())


# Words people put between a register's name and the number: "GMC no. 7012345", "NMC PIN".
_NUMBER_WORDS = ("NUMBER", "NO.", "NO", "PIN", "#", ":", "-")


def read_registration_number(value) -> str:
    """A number as typed, in the register's own display form or bare, as it is stored:
    "GMC 7012345", "gmc no. 7012345" and "7012345" all give "7012345"; "HCPC PH104233" gives
    "PH104233". The register's name is taken off only when what follows is a number of that
    register ("STO12345" is a number as it stands). Anything else comes back normalised, and
    fails the formats as it would have (non-ASCII stays non-ASCII)."""
    text = normalise_registration_number(value)
    if not text.isascii() or regulator_for_number(text) is not None:
        return text
    for register in FORMATS.values():
        name = register.short_name.upper()
        if not text.startswith(name):
            continue
        rest = text[len(name) :]
        # "number:", "no.", "PIN #": take the words off, one at a time, at most three.
        for _ in range(3):
            if register.pattern.fullmatch(rest):
                return rest
            word = next((w for w in _NUMBER_WORDS if rest.startswith(w)), None)
            if word is None:
                break
            rest = rest[len(word) :]
        if register.pattern.fullmatch(rest):
            return rest
    return text


def regulator_for_number(number: str) -> Regulator | None:
    """The register whose format NUMBER (normalised) has, or None if it is not a number."""
    if not number.isascii() or len(number) > NUMBER_MAX_LENGTH:
        return None
    for regulator, register in FORMATS.items():
        if register.pattern.fullmatch(number):
            return regulator
    return None


def is_registration_number(number: str) -> bool:
    return regulator_for_number(number) is not None


def registration_number_error(regulator: str, number: str) -> str | None:
    """The message to show when NUMBER is not a valid number for REGULATOR, else None."""
    if regulator == Regulator.NONE:
        return "Leave the registration number blank if you are not registered." if number else None
    if not number:
        return "Enter your registration number."
    register = FORMATS[Regulator(regulator)]
    if not number.isascii() or not register.pattern.fullmatch(number):
        return register.message
    return None


def number_in_words(regulator: str, number: str) -> str:
    """ "GMC number 7012345", "NMC PIN 12A3456E": as a certificate names it."""
    register = FORMATS.get(regulator) if regulator else None
    if not number:
        return ""
    if register is None:
        return f"Registration number {number}"
    noun = "PIN" if regulator == Regulator.NMC else "number"
    return f"{register.short_name} {noun} {number}"


def number_with_register(number: str) -> str:
    """ "GMC 7012345" for a stored number, whose format names its register."""
    return display_number(regulator_for_number(number) or "", number)


def display_number(regulator: str, number: str) -> str:
    """ "GMC 7012345"; the number alone when the register is unknown."""
    register = FORMATS.get(regulator) if regulator else None
    if not number:
        return ""
    return f"{register.short_name} {number}" if register else number
