"""Page: about the model."""

from ui.views import about

about.render()
