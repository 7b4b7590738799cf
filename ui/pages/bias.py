"""Page: bias."""

from ui.context import current_run
from ui.views import bias

bias.render(current_run())
