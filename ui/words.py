"""Settings in plain words: what Compare and the share bar call a dotted path.

``mechanisms.thin_files`` is "Thin files (mechanism)", ``rules.bill_late.points``
is "Rule: Late bill payment, points", ``districts.2.camera_coverage`` is
"Old Town: camera coverage", anything else its field's title or name.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from scoring import Scenario
from scoring.events import EVENT_INDEX, EVENTS
from scoring.mechanisms import MECHANISMS_BY_KEY


def _field_words(model: type[BaseModel] | None, name: str) -> str:
    info = model.model_fields.get(name) if model is not None else None
    if info is not None and info.title:
        return info.title
    return name.replace("_", " ")


def setting_words(scenario: Scenario, path: str) -> str:
    """A dotted setting path as a student would say it."""
    parts = path.split(".")
    if parts[0] == "mechanisms" and len(parts) == 2 and parts[1] in MECHANISMS_BY_KEY:
        return f"{MECHANISMS_BY_KEY[parts[1]].title} (mechanism)"
    if parts[0] == "rules" and len(parts) >= 2 and parts[1] in EVENT_INDEX:
        what = " ".join(parts[2:]) or "rule"
        return f"Rule: {EVENTS[EVENT_INDEX[parts[1]]].label}, {what}"
    if parts[0] == "districts" and len(parts) >= 3 and parts[1].isdigit():
        i = int(parts[1])
        name = scenario.districts[i].name if i < len(scenario.districts) else f"district {i + 1}"
        return f"{name}: {' '.join(p.replace('_', ' ') for p in parts[2:])}"
    section = type(scenario).model_fields.get(parts[0])
    model = section.annotation if section is not None else None
    model = model if isinstance(model, type) and issubclass(model, BaseModel) else None
    if len(parts) == 1:
        return _field_words(type(scenario), parts[0]).capitalize()
    owners = [m.title for m in MECHANISMS_BY_KEY.values() if m.section == parts[0]]
    head = owners[0] if len(owners) == 1 else parts[0].replace("_", " ").capitalize()
    tail = [_field_words(model, parts[1]), *parts[2:]]
    return f"{head}: {' '.join(str(t) for t in tail)}"


def value_words(value: Any) -> str:
    """A setting's value as shown: on/off for switches, plain numbers, lists joined."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(value_words(v) for v in value)
    if isinstance(value, dict) and "name" in value and "threshold" in value:
        return f"{value['name']} (from {value['threshold']})"
    return str(value)
