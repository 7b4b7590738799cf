"""What students type: cleaned, length-limited, and always kept as plain text.

Nothing typed here is ever rendered as HTML or run as code; the app shows it as
text. Cleaning only removes what cannot be shown (control characters) and
folds runs of white space, so "<b>Sam</b>" stays exactly that, as letters.
"""

from __future__ import annotations

import re
import unicodedata

NICKNAME_CHARS = 24
TITLE_CHARS = 60
WHY_CHARS = 280
SESSION_TITLE_CHARS = 80

_SPACES = re.compile(r"\s+")


class InputError(ValueError):
    """A typed value that cannot be kept; its message says why in plain words."""


def clean(text: object, limit: int, what: str, required: bool = False) -> str:
    """``text`` without control characters, spaces folded, at most ``limit`` characters.

    Raises:
        InputError: if it is longer than ``limit`` or required and empty.
    """
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise InputError(f"the {what} must be text")
    shown = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    shown = _SPACES.sub(" ", shown).strip()
    if len(shown) > limit:
        raise InputError(f"the {what} is {len(shown)} characters long; at most {limit}")
    if required and not shown:
        raise InputError(f"the {what} is empty: write a few words")
    return shown
