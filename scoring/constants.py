"""Named constants of the score and where each number comes from."""

from __future__ import annotations

# The two groups of the synthetic population (the scorer is never given them)
# and the age bands (face matching errs more on the elderly, NISTIR 8280):
# defined with the personas, the project's lowest layer.
from personas.spec import AGE_BANDS as AGE_BANDS
from personas.spec import GROUPS as GROUPS

# Score range of Alibaba's Sesame (Zhima) Credit, launched January 2015
# (Wikipedia "Sesame Credit"; China Internet Watch 12125).
SCORE_MIN = 350
SCORE_MAX = 950

# The five dimensions Sesame Credit names, published without a formula.
DIMENSIONS: tuple[str, ...] = (
    "credit_history",
    "contracts",
    "behaviour",
    "identity",
    "relationships",
)

# Human names of the dimensions, in the same order.
DIMENSION_LABELS: dict[str, str] = {
    "credit_history": "Credit history",
    "contracts": "Ability to fulfil contracts",
    "behaviour": "Behaviour and preferences",
    "identity": "Identity traits",
    "relationships": "Interpersonal relationships",
}

# Band lower edges commonly quoted: 350-549 poor, 550-599 medium, 600-649 good,
# 650-699 very good, 700-950 excellent.
DEFAULT_BAND_EDGES: tuple[int, ...] = (550, 600, 650, 700)
BAND_NAMES: tuple[str, ...] = ("poor", "medium", "good", "very good", "excellent")


# Provenance labels: how we know that a rule or mechanism exists.
PROVENANCE: dict[str, str] = {
    "operator": "reported by the operator",
    "press": "reported in the press",
    "alleged": "alleged (widely repeated, unsubstantiated)",
    "hypothetical": "hypothetical (a thought experiment)",
    "law": "law in force in the EU (the model's reading; not legal advice)",
}

# Largest population and horizon the engine accepts (the app sets lower ones).
MAX_POPULATION = 2_000_000
MIN_POPULATION = 100
MAX_MONTHS = 240

# Version of the scenario file and share-link format.
FORMAT_VERSION = 1
