"""Page: drift."""

from ui.context import current_run, loops_off_run, spread
from ui.views import drift

drift.render(current_run(), loops_off_run(), spread())
