"""Page: bias."""

from ui.context import current_run, spread
from ui.views import bias

bias.render(current_run(), spread())
