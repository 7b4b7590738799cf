"""Page: compare."""

from ui.context import current_run
from ui.views import compare

compare.render(current_run())
