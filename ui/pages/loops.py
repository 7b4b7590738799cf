"""Page: loops."""

from ui.context import current_run
from ui.views import loops

loops.render(current_run())
