"""The synthetic population and the named cast followed through every run."""

from personas.cast import CAST, load_cast, persona_template
from personas.population import People, build_population

__all__ = ["CAST", "People", "build_population", "load_cast", "persona_template"]
