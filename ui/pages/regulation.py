"""Page: regulation."""

from ui import state
from ui.views import regulation

regulation.render(state.current())
