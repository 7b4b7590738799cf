"""The synthetic population and the named cast followed through every run."""

from personas.cast import CAST, load_cast, persona_template
from personas.population import Population, build_population

__all__ = ["CAST", "Population", "build_population", "load_cast", "persona_template"]
