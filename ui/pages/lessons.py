"""Page: lessons."""

from ui.views import lessons

lessons.render()
