"""One module per view; each has ``render()`` and draws results it is given."""
