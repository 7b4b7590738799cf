"""Page: class session."""

from ui import state
from ui.views import classroom

classroom.render(state.current())
