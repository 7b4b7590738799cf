"""Page: rules."""

from ui.context import current_run
from ui.views import rules

rules.render(current_run())
