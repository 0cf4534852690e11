"""Text people type that other people will read: one rule for hidden characters.

Control, format (bidirectional overrides, zero-width joiners and spaces), surrogate and line or
paragraph separator characters can reorder or hide what a reader sees ("evil\u202egnp.exe").
File names, names and regions refuse them; a download name has them stripped.
"""

import unicodedata

HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


# What a paragraph of typed text may hold besides what shows: line breaks and tabs.
LINE_BREAKS = frozenset("\r\n\t")


def has_hidden_characters(text: str, *, multiline: bool = False) -> bool:
    """True if TEXT holds a character that hides or reorders what a reader sees. MULTILINE
    allows line breaks and tabs (text typed into a box of several lines)."""
    allowed = LINE_BREAKS if multiline else frozenset()
    return any(
        unicodedata.category(char) in HIDDEN_CATEGORIES and char not in allowed for char in text
    )


def without_hidden_characters(text: str) -> str:
    return "".join(char for char in text if unicodedata.category(char) not in HIDDEN_CATEGORIES)
