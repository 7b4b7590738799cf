"""The named cast followed through every run, and what a persona is.

The lowest layer: nothing here imports the engine. The synthetic population
the cast lives in is drawn by :mod:`scoring.population`.
"""

from personas.cast import CAST, load_cast, persona_template
from personas.spec import AGE_BANDS, GROUPS, PersonaSpec

__all__ = ["AGE_BANDS", "CAST", "GROUPS", "PersonaSpec", "load_cast", "persona_template"]
