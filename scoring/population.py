"""The synthetic population: who lives where, earns what, and behaves how.

By default the latent traits (reliability, thrift, civic spirit) have the same
distribution in both groups, so every gap between the groups that a run shows
is made by the scoring system. ``population.minority_reliability_shift``
changes that, and the app says so when it is not zero.

Rows ``0 .. len(personas) - 1`` are the named personas; then come the other
synthetic persons up to ``population.size``; after them the *twins*: copies
of each persona in another group or district that share the persona's random
draws and friends, so the run shows what the same life would have scored
elsewhere. Twins are never anyone's friend and never count in a metric.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from personas.spec import AGE_BANDS, GROUPS, PersonaSpec
from scoring.scenario import Scenario

# Beta(6, 2.5): true reliability, mean about 0.71, the same in both groups.
RELIABILITY_BETA = (6.0, 2.5)
# Beta(2, 2): thrift (saving habit), mean 0.5.
THRIFT_BETA = (2.0, 2.0)
# Beta(2, 4): civic spirit, mean 1/3.
CIVIC_BETA = (2.0, 4.0)
# How much more or less each age band uses the payment platform.
PLATFORM_AGE_FACTOR = np.array([1.05, 1.0, 0.6], dtype=np.float32)
# How likely each age band is to be a heavy gamer, relative to the mean.
GAMER_AGE_FACTOR = np.array([2.0, 0.8, 0.2])
# Mean reliability of Beta(6, 2.5).
RELIABILITY_MEAN = 6.0 / 8.5
# How much a person's unreliability (relative to the mean) raises the chance of
# being a heavy gamer: 0.5 makes gaming a weak proxy (correlation with
# reliability about -0.1), so hiding it hides a little information.
GAMER_IDLE_WEIGHT = 0.5


@dataclass(frozen=True, eq=False)
class People:
    """Attributes of every row; arrays are read-only.

    Attributes:
        size: Number of real persons (personas included, twins not).
        district, group, age: Small integer codes per row.
        income: Income relative to the median (1.0).
        reliability, thrift, civic: Latent traits in 0..1.
        parent, gamer, driver: Habits that make some events possible.
        platform_use: Share of the person's payments through the platform.
        personas: The personas followed, in row order 0..K-1.
        twin_source: For each twin, the row of the persona it copies.
        twin_change: For each twin, ``("group", code)`` or ``("district", code)``.
    """

    size: int
    district: np.ndarray
    group: np.ndarray
    age: np.ndarray
    income: np.ndarray
    reliability: np.ndarray
    thrift: np.ndarray
    civic: np.ndarray
    parent: np.ndarray
    gamer: np.ndarray
    driver: np.ndarray
    platform_use: np.ndarray
    personas: tuple[PersonaSpec, ...]
    twin_source: np.ndarray
    twin_change: tuple[tuple[str, int], ...]

    @property
    def total_rows(self) -> int:
        """Real persons plus twins."""
        return self.size + len(self.twin_source)

    def twin_rows(self, persona_row: int) -> list[int]:
        """Rows of the twins of the persona in ``persona_row``."""
        return [self.size + i for i, src in enumerate(self.twin_source) if src == persona_row]


def _persona_row(spec: PersonaSpec, n_districts: int) -> dict[str, float | int | bool]:
    return {
        "district": spec.district % n_districts,
        "group": GROUPS.index(spec.group),
        "age": AGE_BANDS.index(spec.age_band),
        "income": spec.income,
        "reliability": spec.reliability,
        "thrift": spec.thrift,
        "civic": spec.civic,
        "parent": spec.parent,
        "gamer": spec.gamer,
        "driver": spec.driver,
        "platform_use": spec.platform_use,
    }


def build_population(
    scenario: Scenario, rng: np.random.Generator, personas: tuple[PersonaSpec, ...],
    twins: bool = True,
) -> People:
    """Draw the synthetic population for a scenario.

    Args:
        scenario: The run's scenario (population and district settings).
        rng: The population's own random stream.
        personas: Named persons to place in the first rows.
        twins: Whether to add the personas' twins (they change nothing of the
            real persons: a run without them gives the real persons the same
            arrays).

    Returns:
        A :class:`People` whose arrays hold real persons, then twins.
    """
    params = scenario.population
    n = params.size
    districts = scenario.districts
    shares = np.array([d.population_share for d in districts])
    shares = shares / shares.sum()
    district = rng.choice(len(districts), size=n, p=shares).astype(np.int8)
    minority_share = np.array([d.minority_share for d in districts])
    group = (rng.random(n) < minority_share[district]).astype(np.int8)
    age_p = np.array([params.age_shares.young, params.age_shares.adult, params.age_shares.senior])
    age = rng.choice(3, size=n, p=age_p / age_p.sum()).astype(np.int8)
    income = np.exp(rng.normal(0.0, params.income_spread, n)).astype(np.float32)
    reliability = rng.beta(*RELIABILITY_BETA, n) + params.minority_reliability_shift * group
    reliability = np.clip(reliability, 0.01, 0.99).astype(np.float32)
    thrift = rng.beta(*THRIFT_BETA, n).astype(np.float32)
    civic = rng.beta(*CIVIC_BETA, n).astype(np.float32)
    # Parents are never seniors; the share among the rest keeps the overall share.
    working_age = max(1e-9, age_p[0] + age_p[1])
    parent = (rng.random(n) < min(1.0, params.parent_share / working_age)) & (age < 2)
    gamer_p = params.gamer_share * GAMER_AGE_FACTOR / float(GAMER_AGE_FACTOR @ age_p)
    # Heavy gaming is a weak proxy of unreliability: somewhat more common among
    # the less reliable (the operator's "idle person"), mostly not.
    idle = 1.0 + GAMER_IDLE_WEIGHT * ((1.0 - reliability) / (1.0 - RELIABILITY_MEAN) - 1.0)
    gamer = rng.random(n) < np.clip(gamer_p[age] * idle, 0.0, 1.0)
    driver = rng.random(n) < params.driver_share
    platform_share = np.array([d.platform_share for d in districts], dtype=np.float32)
    jitter = (0.85 + 0.3 * rng.random(n)).astype(np.float32)
    platform_use = np.clip(platform_share[district] * PLATFORM_AGE_FACTOR[age] * jitter, 0, 1)

    columns = {
        "district": district, "group": group, "age": age, "income": income,
        "reliability": reliability, "thrift": thrift, "civic": civic, "parent": parent,
        "gamer": gamer, "driver": driver, "platform_use": platform_use.astype(np.float32),
    }
    personas = personas[: min(len(personas), n)]
    for row, spec in enumerate(personas):
        for name, value in _persona_row(spec, len(districts)).items():
            columns[name][row] = value

    # Twins: each persona once in the other group, once in every other district.
    twin_source: list[int] = []
    twin_change: list[tuple[str, int]] = []
    for row in range(len(personas) if twins else 0):
        twin_source.append(row)
        twin_change.append(("group", 1 - int(group[row])))
        for d in range(len(districts)):
            if d != district[row]:
                twin_source.append(row)
                twin_change.append(("district", d))
    sources = np.array(twin_source, dtype=np.int64)
    for name, column in columns.items():
        extra = column[sources].copy()
        for i, (kind, code) in enumerate(twin_change):
            if kind == name:
                extra[i] = code
        columns[name] = np.concatenate([column, extra])
    for column in columns.values():
        column.setflags(write=False)
    return People(
        size=n,
        personas=personas,
        twin_source=sources,
        twin_change=tuple(twin_change),
        **columns,
    )
