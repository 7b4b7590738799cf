"""Page: personas."""

from ui.context import current_run
from ui.views import personas

personas.render(current_run())
