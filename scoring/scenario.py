"""The scenario: one frozen, validated description of a whole run.

A scenario is made of small frozen models, one per parameter group. Every
field is range-checked on construction; unknown keys are refused with a
"did you mean" hint; every problem names the dotted field path, the value and
what is allowed. A scenario is never mutated: :func:`with_changes` derives a
new one.
"""

from __future__ import annotations

import difflib
import tomllib
from typing import Annotated, Any, Literal

import tomli_w
from pydantic import (
    BaseModel,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    create_model,
    model_validator,
)

from personas.spec import PersonaSpec
from scoring.constants import (
    DEFAULT_BAND_EDGES,
    DIMENSIONS,
    FORMAT_VERSION,
    MAX_MONTHS,
    MAX_POPULATION,
    MIN_POPULATION,
    SCORE_MAX,
    SCORE_MIN,
)
from scoring.events import EVENTS
from scoring.fields import Frozen as _Frozen
from scoring.fields import Provenance, ScorePoint, Share, Text
from scoring.fields import share as _share
from scoring.mechanisms import REGISTRY, sections
from scoring.mechanisms.penalties import DEFAULT_PENALTIES, Penalty
from scoring.mechanisms.perks import DEFAULT_PERKS, Perk

Dimension = Literal[DIMENSIONS]  # type: ignore[valid-type]

# Largest file or share link we parse, in bytes (a full scenario is ~6 kB).
MAX_SCENARIO_BYTES = 200_000


class ScenarioError(ValueError):
    """A scenario (or a change to one) is not valid.

    Attributes:
        problems: One plain sentence per problem, each naming the field.
    """

    def __init__(self, problems: list[str]):
        self.problems = list(problems) or ["the scenario is not valid"]
        super().__init__("; ".join(self.problems))


class AgeShares(_Frozen):
    """Share of the population in each age band (adds up to 1)."""

    young: Share = _share(0.25, "Share aged under 30.")
    adult: Share = _share(0.55, "Share aged 30 to 64.")
    senior: Share = _share(0.20, "Share aged 65 and over.")

    @model_validator(mode="after")
    def _adds_up(self) -> AgeShares:
        total = self.young + self.adult + self.senior
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"age shares must add up to 1 (they add up to {total:.4g})")
        return self


class Population(_Frozen):
    """Who lives in the synthetic world."""

    size: StrictInt = Field(
        5_000, ge=MIN_POPULATION, le=MAX_POPULATION, description="Number of persons."
    )
    group_labels: tuple[Text, Text] = Field(
        ("majority", "minority"),
        description="Names shown for the two groups (the scorer never sees the group).",
    )
    age_shares: AgeShares = AgeShares()
    income_spread: StrictFloat = Field(
        0.5, ge=0.0, le=1.5, description="Spread of incomes (log-normal sigma)."
    )
    minority_reliability_shift: StrictFloat = Field(
        0.0,
        ge=-0.3,
        le=0.3,
        description=(
            "Difference in mean true reliability, minority minus majority. 0 means both "
            "groups behave alike, so every gap between them is made by the system."
        ),
    )
    parent_share: Share = _share(0.25, "Share with a baby at home (buy diapers).")
    gamer_share: Share = _share(0.12, "Share who play video games for hours a day.")
    driver_share: Share = _share(0.4, "Share who drive (can run a red light).")


class District(_Frozen):
    """A district: where people live, how they pay and how much cameras see."""

    name: Text
    population_share: StrictFloat = Field(
        gt=0.0, le=1.0, description="Share of the population living here."
    )
    minority_share: Share = _share(0.2, "Share of the district's people in the minority.")
    platform_share: Share = _share(
        0.9, "Share of payments that run through the payment platform (the rest is cash)."
    )
    camera_coverage: Share = _share(
        0.3, "Chance that a street infraction here is recorded by a camera."
    )
    street_activity: StrictFloat = Field(
        1.0, ge=0.1, le=5.0,
        description="How often street infractions truly happen here, relative to elsewhere "
        "(busy crossings). 1 everywhere by default: true rates are equal.",
    )


DEFAULT_DISTRICTS: tuple[District, ...] = (
    District(name="Central", population_share=0.30, minority_share=0.08,
             platform_share=0.95, camera_coverage=0.35),
    District(name="Riverside", population_share=0.30, minority_share=0.10,
             platform_share=0.90, camera_coverage=0.25),
    District(name="Old Town", population_share=0.25, minority_share=0.55,
             platform_share=0.75, camera_coverage=0.70),
    District(name="Outskirts", population_share=0.15, minority_share=0.15,
             platform_share=0.45, camera_coverage=0.05),
)


class ScoreRules(_Frozen):
    """How the score is put together and kept in range."""

    start_score: StrictInt = Field(
        600, ge=SCORE_MIN, le=SCORE_MAX, description="Everyone's score in month 0."
    )
    band_edges: tuple[ScorePoint, ScorePoint, ScorePoint, ScorePoint] = Field(
        DEFAULT_BAND_EDGES,
        description="Lowest score of the medium, good, very good and excellent bands.",
    )
    decay: StrictFloat = Field(
        0.05, ge=0.0, le=0.5,
        description="Share of each dimension's points that fades every month, so scores "
        "drift back towards the start (memory fades).",
    )
    monthly_cap: StrictInt = Field(
        150, ge=1, le=600, description="Largest change rules may make to a score in one month."
    )

    @model_validator(mode="after")
    def _edges_increase(self) -> ScoreRules:
        edges = self.band_edges
        if any(b <= a for a, b in zip(edges, edges[1:], strict=False)):
            raise ValueError(f"band edges must increase, got {list(edges)}")
        return self


class Rule(_Frozen):
    """Points an observed event is worth, and the dimension it feeds."""

    points: StrictInt = Field(ge=-300, le=300, description="Points per recorded event.")
    dimension: Dimension


class _Rules(_Frozen):
    def get(self, key: str) -> Rule:
        """The rule for an event key."""
        return getattr(self, key)


# The rule table: one rule per event of scoring.events, with its defaults.
RuleTable: Any = create_model(
    "RuleTable", __base__=_Rules, __module__=__name__,
    **{e.key: (Rule, Rule(points=e.points, dimension=e.dimension)) for e in EVENTS},
)
RuleTable.__doc__ = "The rule table: one rule per event of :mod:`scoring.events`."



class Behaviour(_Frozen):
    """Monthly chances of true behaviour, before hardship and traits adjust them."""

    bill_late_base: Share = _share(
        0.05, "Chance of a late bill for a person of average reliability without hardship."
    )
    hardship_late_effect: Share = _share(
        0.3, "Extra chance of a late bill at full hardship: how consequences feed back."
    )
    loan_need: Share = _share(
        0.03, "Monthly chance of asking for a loan (doubles at full hardship)."
    )
    rental_use: Share = _share(0.3, "Monthly chance of renting a bike, power bank or the like.")
    volunteering_rate: Share = _share(0.08, "Monthly chance of volunteering, at full civic spirit.")
    blood_donation_rate: Share = _share(
        0.03, "Monthly chance of giving blood, at full civic spirit."
    )
    jaywalking_rate: Share = _share(0.08, "Monthly chance of jaywalking, average person.")
    red_light_rate: Share = _share(0.03, "Monthly chance a driver runs a red light.")
    diaper_rate: Share = _share(0.3, "Monthly chance a parent buys diapers.")
    gaming_rate: Share = _share(0.3, "Monthly chance a heavy gamer's playing shows in purchases.")


class NetworkTies(_Frozen):
    """Friendship ties and what they do to scores."""

    ties_per_person: StrictInt = Field(6, ge=1, le=20, description="Friends each person names.")
    homophily: Share = _share(0.8, "Share of ties made within one's own district and group.")


def _compose(name: str, doc: str, *core: type[BaseModel]) -> Any:
    """A scenario table made of its core fields and its mechanisms' settings, in order."""
    parts = [*core, *sections().get(name.lower(), [])]
    model = create_model(name, __base__=tuple(reversed(parts)) or (_Frozen,),
                         __module__=__name__)
    model.__doc__ = doc
    return model


# Each table below is made of the settings the mechanisms declare (one module
# each, scoring/mechanisms/): the file format stays one table per topic.
Surveillance = _compose("Surveillance", "Cameras and face matching.")
Consequences = _compose("Consequences",
                        "What a score band brings: perks above thresholds, penalties below.")
Lending = _compose("Lending", "Loans granted by score; repayment and default feed the score.")
Network = _compose("Network", "Friendship ties and what they do to scores.", NetworkTies)
Gaming = _compose("Gaming", "People near a perk threshold shift what the scorer sees.")
Law = _compose("Law", "What the legal principles ask of the scorer: purpose, retention, "
               "consent (GDPR, EU AI Act).")
Mechanisms = create_model(
    "Mechanisms", __base__=_Frozen, __module__=__name__,
    **{m.key: (StrictBool, Field(m.default, description=f"{m.title}: {m.description}"))
       for m in REGISTRY},
)
Mechanisms.__doc__ = "One switch per mechanism (scoring.mechanisms): bias sources, loops, remedies."


class _Core(_Frozen):
    """The tables every scenario has, whatever the mechanisms."""

    format_version: StrictInt = FORMAT_VERSION
    name: Text = "custom"
    description: Annotated[StrictStr, Field(max_length=300)] = ""
    seed: StrictInt = Field(7, ge=0, le=2**32 - 1, description="Seed for every random draw.")
    months: StrictInt = Field(60, ge=1, le=MAX_MONTHS, description="Months to simulate.")
    population: Population = Population()
    districts: tuple[District, ...] = Field(DEFAULT_DISTRICTS, min_length=1, max_length=8)
    score: ScoreRules = ScoreRules()
    rules: RuleTable = RuleTable()
    behaviour: Behaviour = Behaviour()


# The mechanisms' settings tables, in this order; a mechanism whose section is
# none of these gets a table of its own, named after its section.
TABLES: dict[str, Any] = {"surveillance": Surveillance, "consequences": Consequences,
                          "lending": Lending, "network": Network, "gaming": Gaming, "law": Law}
for _name, _parts in sections().items():
    if _name not in TABLES:
        TABLES[_name] = _compose(_name.capitalize(), _parts[0].__doc__ or _name)
        globals()[TABLES[_name].__name__] = TABLES[_name]  # found by name, as pickle needs
_WithTables: Any = create_model(
    "_WithTables", __base__=_Core, __module__=__name__,
    **{name: (model, model()) for name, model in TABLES.items()},
)


class Scenario(_WithTables):
    """Everything that defines a run. Same scenario and seed, same result."""

    mechanisms: Mechanisms = Mechanisms()
    personas: tuple[PersonaSpec, ...] = Field(
        (), max_length=12, description="Personas built by the user, followed like the cast."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        if self.format_version != FORMAT_VERSION:
            raise ValueError(
                f"format_version {self.format_version} is not known; this version reads "
                f"format_version {FORMAT_VERSION}"
            )
        total = sum(d.population_share for d in self.districts)
        if abs(total - 1.0) > 1e-3:
            raise ValueError(
                f"districts' population_share must add up to 1 (they add up to {total:.4g})"
            )
        names = [d.name for d in self.districts]
        if len(set(names)) != len(names):
            raise ValueError(f"district names must differ, got {names}")
        keys = [p.key for p in self.personas]
        if len(set(keys)) != len(keys):
            raise ValueError(f"persona keys must differ, got {keys}")
        for i, persona in enumerate(self.personas):
            if persona.district >= len(self.districts):
                raise ValueError(
                    f"personas.{i}.district = {persona.district}: there are only "
                    f"{len(self.districts)} districts (0 to {len(self.districts) - 1})"
                )
        return self


# ---------------------------------------------------------------- conversion


def _model_at(path: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the field at ``path`` (for hints)."""
    model: Any = Scenario
    for part in path:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if hasattr(model, "model_fields") else None
        if field is None:
            return None
        annotation = field.annotation
        args = getattr(annotation, "__args__", ())
        candidates = [annotation, *args]
        model = next(
            (c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None
        )
        if model is None:
            return None
    return model


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _describe(error: dict[str, Any]) -> str:
    loc = tuple(error.get("loc", ()))
    path = ".".join(str(p) for p in loc) or "scenario"
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "extra_forbidden":
        owner = _model_at(loc[:-1])
        known = list(owner.model_fields) if owner else []
        hint = difflib.get_close_matches(str(loc[-1]), known, n=1)
        message = f"{path}: unknown key"
        if hint:
            message += f"; did you mean '{hint[0]}'?"
        elif known:
            message += f"; allowed keys: {', '.join(known)}"
        return message
    if kind == "missing":
        return f"{path}: required but missing"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        owner = _model_at(loc[:-1])
        field = owner.model_fields.get(str(loc[-1])) if owner else None
        low = high = None
        for meta in getattr(field, "metadata", []) if field else []:
            low = getattr(meta, "ge", None) if getattr(meta, "ge", None) is not None else low
            low = getattr(meta, "gt", None) if getattr(meta, "gt", None) is not None else low
            high = getattr(meta, "le", None) if getattr(meta, "le", None) is not None else high
        bound = ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt"))))
        if low is not None and high is not None:
            allowed = f"between {low} and {high}"
        else:
            words = {"greater_than_equal": "at least", "less_than_equal": "at most",
                     "greater_than": "more than", "less_than": "less than"}
            allowed = f"{words[kind]} {bound}"
        return f"{path} = {_show(value)}: must be {allowed}"
    if kind == "literal_error":
        return f"{path} = {_show(value)}: must be one of {ctx.get('expected', '')}"
    if kind in ("too_long", "too_short"):
        if "min_length" in ctx or "max_length" in ctx:
            limit = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
            word = "at least" if kind == "too_short" else "at most"
            plural = "" if limit == 1 else "s"
            return (f"{path}: must list {word} {limit} item{plural}, "
                    f"has {ctx.get('actual_length', '?')}")
        return f"{path}: {error.get('msg', '').lower()}"
    if kind == "finite_number":
        return f"{path} = {_show(value)}: must be a finite number"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        wanted = {"int_type": "a whole number", "float_type": "a number",
                  "bool_type": "true or false", "string_type": "text in quotes",
                  "tuple_type": "a list", "model_type": "a table",
                  "dict_type": "a table", "list_type": "a list",
                  "finite_number": "a finite number"}.get(kind, kind.replace("_", " "))
        return f"{path} = {_show(value)}: must be {wanted}"
    message = str(error.get("msg", "not valid"))
    message = message.removeprefix("Value error, ")
    if path == "scenario" or message.startswith(path):
        return message
    return f"{path}: {message}"


def from_dict(data: Any) -> Scenario:
    """Build a scenario from plain data (as read from TOML or JSON).

    Raises:
        ScenarioError: with one sentence per problem.
    """
    if not isinstance(data, dict):
        raise ScenarioError([f"a scenario must be a table of settings, got {type(data).__name__}"])
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [_describe(e) for e in exc.errors(include_url=False)]
        raise ScenarioError(list(dict.fromkeys(problems))) from None
    except (RecursionError, TypeError, ValueError) as exc:  # pathological input
        raise ScenarioError([f"the scenario could not be read: {type(exc).__name__}"]) from None


def to_dict(scenario: Scenario) -> dict[str, Any]:
    """Plain data for a scenario, every field resolved."""
    return scenario.model_dump(mode="python")


def plain_data(value: Any) -> Any:
    """Tuples to lists so that TOML writes arrays."""
    if isinstance(value, dict):
        return {k: plain_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_data(v) for v in value]
    return value


def to_toml(scenario: Scenario) -> str:
    """The full resolved scenario as TOML text."""
    return tomli_w.dumps(plain_data(to_dict(scenario)))


def from_toml(text: str | bytes) -> Scenario:
    """Read a scenario from TOML text.

    Raises:
        ScenarioError: if the text is not TOML or the scenario is not valid.
    """
    if isinstance(text, bytes):
        if len(text) > MAX_SCENARIO_BYTES:
            raise ScenarioError([_too_large(len(text))])
        try:
            text = text.decode("utf-8-sig")  # a byte-order mark, as some editors write, is fine
        except UnicodeDecodeError:
            raise ScenarioError(["the file is not text (not UTF-8): is it a TOML file?"]) from None
    if len(text) > MAX_SCENARIO_BYTES:
        raise ScenarioError([_too_large(len(text))])
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ScenarioError(["the file is empty"])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([f"not valid TOML: {exc}"]) from None
    except RecursionError:
        raise ScenarioError(["not valid TOML: nested too deeply"]) from None
    return from_dict(data)


def _too_large(size: int) -> str:
    return (f"the file is {size:,} bytes; a scenario file is at most "
            f"{MAX_SCENARIO_BYTES:,} bytes")


def parse_value(text: str) -> Any:
    """Read one value as TOML (``0.2``, ``true``, ``[1, 10]``, ``"Old Town"``).

    A bare word that is not TOML is taken as text, so ``name=Test`` works.
    """
    try:
        return tomllib.loads(f"value = {text}")["value"]
    except tomllib.TOMLDecodeError:
        if text and "\n" not in text and all(ch.isalnum() or ch in " _-." for ch in text):
            return text
        message = f"'{_short(text)}' is not a TOML value (put text in quotes)"
        raise ScenarioError([message]) from None


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _set_path(data: Any, parts: list[str], value: Any, path: str) -> None:
    node = data
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise ScenarioError([f"{path}: '{part}' is not an index of a list of {len(node)}"])
            if last:
                node[int(part)] = value
            else:
                node = node[int(part)]
        elif isinstance(node, dict):
            if part not in node:
                known = list(node)
                hint = difflib.get_close_matches(part, known, n=1)
                where = ".".join(parts[:i]) or "the scenario"
                message = f"{path}: '{part}' is not a setting of {where}"
                raise ScenarioError([message + (f"; did you mean '{hint[0]}'?" if hint else "")])
            if last:
                node[part] = value
            else:
                node = node[part]
        else:
            raise ScenarioError([f"{path}: '{parts[i - 1]}' has no settings inside"])


def with_changes(scenario: Scenario, changes: dict[str, Any]) -> Scenario:
    """A new scenario with dotted-path settings changed, validated again.

    Args:
        scenario: The scenario to start from (left unchanged).
        changes: Map of dotted path (``surveillance.false_match_rate``,
            ``districts.2.camera_coverage``) to new value.

    Raises:
        ScenarioError: if a path is unknown or the result is not valid.
    """
    data = plain_data(to_dict(scenario))
    problems: list[str] = []
    for path, value in changes.items():
        parts = path.split(".")
        if not path or any(not p for p in parts):
            problems.append(f"'{path}' is not a setting path (use dots: score.decay)")
            continue
        try:
            _set_path(data, parts, plain_data(value), path)
        except ScenarioError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ScenarioError(problems)
    return from_dict(data)


def parse_assignment(text: str) -> tuple[str, Any]:
    """Split ``PATH=VALUE`` into a path and a TOML value."""
    path, sep, value = text.partition("=")
    if not sep or not path.strip():
        raise ScenarioError([f"'{_short(text)}' is not PATH=VALUE"])
    return path.strip(), parse_value(value.strip())


__all__ = [
    "DEFAULT_PENALTIES",
    "PersonaSpec",
    "DEFAULT_PERKS",
    "Penalty",
    "Perk",
    "Provenance",
    "Scenario",
    "ScenarioError",
    "from_dict",
    "from_toml",
    "to_dict",
    "to_toml",
    "with_changes",
    "parse_assignment",
]
