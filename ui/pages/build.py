"""Page: build."""

from ui.context import current_run
from ui.views import build

build.render(current_run())
