"""Text people type that other people will read: one rule for hidden characters.

Control, format (bidirectional overrides, zero-width joiners and spaces), surrogate and line or
paragraph separator characters can reorder or hide what a reader sees ("evil\u202egnp.exe").
File names, names and regions refuse them; a download name has them stripped.
"""

import unicodedata

HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def has_hidden_characters(text: str) -> bool:
    return any(unicodedata.category(char) in HIDDEN_CATEGORIES for char in text)


def without_hidden_characters(text: str) -> str:
    return "".join(char for char in text if unicodedata.category(char) not in HIDDEN_CATEGORIES)
