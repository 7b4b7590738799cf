"""The app's pages, listed once: path, title, icon and the runs each needs.

``app.py`` builds Streamlit's navigation from :data:`PAGES`; before a page is
drawn, :func:`ui.context.start_runs` starts every run it needs at once, so
the two workers simulate side by side. A page asks for no run it did not
list here (a test checks).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

from scoring import Scenario
from scoring.counterfactual import all_loops_off, loop_off
from scoring.mechanisms import LOOP_KEYS
from ui.spread import other_seeds


def _itself(scenario: Scenario) -> list[Scenario]:
    return [scenario]


@dataclass(frozen=True)
class Page:
    """One page of the app.

    Attributes:
        key: Its path (``/personas``) and the name of its script in ``ui/pages``.
        title: Its name in the navigation.
        icon: Its Material icon.
        needs: The scenarios it runs, given the session's scenario.
    """

    key: str
    title: str
    icon: str
    needs: Callable[[Scenario], list[Scenario]] = _itself

    @property
    def script(self) -> str:
        """The page's script, relative to the app's folder."""
        return f"ui/pages/{self.key}.py"


PAGES: tuple[Page, ...] = (
    Page("drift", "Drift", ":material/show_chart:",
         lambda s: [s, all_loops_off(s), *other_seeds(s)]),
    Page("lessons", "Lessons", ":material/school:", lambda s: []),
    Page("personas", "Personas", ":material/group:"),
    Page("rules", "Rules", ":material/rule:"),
    Page("bias", "Bias", ":material/balance:", lambda s: [s, *other_seeds(s)]),
    Page("loops", "Feedback loops", ":material/loop:",
         lambda s: [s, *(loop_off(s, key) for key in LOOP_KEYS if getattr(s.mechanisms, key))]),
    Page("compare", "Compare", ":material/compare:"),
    Page("regulation", "Regulation", ":material/gavel:"),
    Page("class", "Class", ":material/groups:", lambda s: []),
    Page("build", "Build a persona", ":material/person_add:"),
    Page("about", "About the model", ":material/info:"),
)
PAGE_BY_KEY: dict[str, Page] = {page.key: page for page in PAGES}
DEFAULT_PAGE = PAGES[0].key


def nearest_page(asked: str) -> str | None:
    """The page whose path or name is closest to a path typed wrong (None: none close)."""
    wanted = asked.strip().strip("/").lower()
    names = {page.key: page.key for page in PAGES}
    names.update({page.title.lower(): page.key for page in PAGES})
    found = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.6)
    if not found:
        found = [name for name in names if wanted and name.startswith(wanted)][:1]
    return names[found[0]] if found else None
