"""Join codes and keys.

A join code is 6 characters a class reads off a projector and types on a
phone, so it leaves out every character that looks like another (0 and O, 1,
I and L, 2 and Z, 5 and S, 8 and B): 25 characters, 244 million codes. Keys
(the teacher's and each member's) are long random tokens; only their SHA-256
hashes are stored.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6


def new_code() -> str:
    """A random join code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(code: object) -> str:
    """A typed code as stored: upper case, spaces and dashes dropped ("" if not text)."""
    if not isinstance(code, str):
        return ""
    return "".join(ch for ch in code.upper() if ch not in " -\t")[:32]


def looks_like_a_code(code: str) -> bool:
    """True if ``code`` could be a join code (six characters of the alphabet)."""
    return len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code)


def new_key() -> str:
    """A secret key for a link (teacher or member)."""
    return secrets.token_urlsafe(18)


def digest(key: str) -> str:
    """What is stored of a key."""
    return hashlib.sha256(key.encode()).hexdigest()
