"""What `make run` prints while it gets the app ready."""

from __future__ import annotations

import pytest

from scoring import compiled
from ui import launch


@pytest.fixture
def ready_at_once(monkeypatch):
    """A server that answers at once and a warm-up that records it ran."""
    warmed = []
    monkeypatch.setattr(launch, "_answering", lambda url: True)
    monkeypatch.setattr(launch, "_warm_up", lambda: warmed.append(True))
    return warmed


@pytest.mark.parametrize("kept", [False, True])
def test_a_start_that_must_compile_says_so_before_the_wait(monkeypatch, capsys,
                                                           ready_at_once, kept):
    monkeypatch.setattr(compiled, "kept", lambda: kept)
    launch._get_ready("http://localhost:8501", open_browser=False, port=8501,
                      serving_room=False)
    out = capsys.readouterr().out
    assert ready_at_once == [True]
    assert "is ready: open http://localhost:8501" in out
    assert ("compiling the engine's loops" in out) is not kept
    if not kept:
        assert out.index("compiling") < out.index("is ready")


def test_a_server_that_never_answers_is_not_called_ready(monkeypatch, capsys):
    monkeypatch.setattr(launch, "_answering", lambda url: False)
    launch._get_ready("http://localhost:8501", open_browser=False, port=8501,
                      serving_room=False)
    assert "is ready" not in capsys.readouterr().out
