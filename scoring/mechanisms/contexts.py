"""The contexts of the score's consequences, for the legal principles that ask about them.

Each perk and penalty says where it applies (``context``: credit, travel,
jobs, visas or other). Purpose limitation keeps only the credit context; the
AI Act's ban on social scoring keeps no perk or penalty at all.
"""

from __future__ import annotations


def kept_in_context(scenario, contexts: tuple[str, ...]) -> dict:
    """Dotted changes that keep only the perks and penalties of these contexts."""
    found = scenario.consequences
    return {
        "consequences.perks": [p.model_dump() for p in found.perks if p.context in contexts],
        "consequences.penalties": [p.model_dump() for p in found.penalties
                                   if p.context in contexts],
    }
