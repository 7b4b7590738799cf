"""Printable handouts and teacher notes for the lessons (Markdown and HTML).

The HTML is a file to download and print, built with every text escaped; the
app never renders it.
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Callable

from scoring.lessons import Lesson

SAME: Callable[[str], str] = str


def markdown(item: Lesson) -> str:
    """The student handout as Markdown.

    It asks and never tells: each step gives its question (``ask``), not what the
    run shows; the answers are in the teacher notes.
    """
    lines = [f"# {item.title}", "", f"*{item.theme}. About {item.minutes} minutes.*", "",
             f"**Goal.** {item.goal}", "", "## Predict first", "", item.predict.question, ""]
    lines += [f"- [ ] {choice}" for choice in item.predict.choices]
    lines += ["", "Why I think so: ______________________________________________", ""]
    for number, step in enumerate(item.steps, 1):
        lines += [f"## Step {number}: {step.title}", "", step.ask, "",
                  "What I noticed: ______________________________________________", ""]
    lines += ["## Discuss", ""]
    lines += [f"{i}. {q}" for i, q in enumerate(item.discussion, 1)]
    lines += ["", "---", "Social Credit Sandbox: a stylised teaching model, not a real "
              "scoring system. Open the lesson in the app's Lessons view."]
    return "\n".join(lines) + "\n"


def teacher_notes_markdown(item: Lesson, esc: Callable[[str], str] = SAME) -> str:
    """Teacher notes: timing, the predict answer, usual mistakes, discussion hints."""
    notes = item.notes
    answer = item.predict.choices[item.predict.answer]
    lines = [f"### Teacher notes: {esc(item.title)}", "", "**Timing**", ""]
    lines += [f"- {esc(t)}" for t in notes.get("timing", [])]
    lines += ["", f"**Predict answer:** {esc(answer)}. {esc(item.predict.why)}", "",
              "**What students usually get wrong**", ""]
    lines += [f"- {esc(m)}" for m in notes.get("misconceptions", [])]
    lines += ["", "**Discussion: hints**", ""]
    for question, hint in zip(item.discussion, notes.get("answers", []), strict=False):
        lines += [f"- *{esc(question)}* {esc(hint)}"]
    lines += ["", "**Claims checked:** "
              + esc("every sentence a step shows must hold on its own seed, and pooled over "
                    "seeds 1-30 its 95% interval must exclude no effect (python -m scoring "
                    "lessons --check).")]
    return "\n".join(lines) + "\n"


PRINT_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 46rem; margin: 2rem auto;
       line-height: 1.5; color: #000; }
h1 { font-size: 1.8rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; margin-top: 1.6rem; border-bottom: 1px solid #999; }
.write { border-bottom: 1px solid #000; height: 2.2rem; }
.box { display: inline-block; width: 1rem; height: 1rem; border: 1px solid #000;
       margin-right: 0.5rem; vertical-align: middle; }
footer { margin-top: 2rem; font-size: 0.85rem; color: #333; }
@media print { body { margin: 0; } h2 { break-after: avoid; } section { break-inside: avoid; } }
"""


def html(item: Lesson) -> str:
    """The student handout as a print-ready HTML page."""
    e = _escape
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>{e(item.title)}</title><style>{PRINT_CSS}</style></head><body>",
             f"<h1>{e(item.title)}</h1><p><em>{e(item.theme)}. About {item.minutes} "
             f"minutes.</em></p><p><strong>Goal.</strong> {e(item.goal)}</p>",
             f"<section><h2>Predict first</h2><p>{e(item.predict.question)}</p>"]
    parts += [f"<p><span class='box'></span>{e(choice)}</p>" for choice in item.predict.choices]
    parts += ["<p>Why I think so:</p><div class='write'></div></section>"]
    for number, step in enumerate(item.steps, 1):
        parts += [f"<section><h2>Step {number}: {e(step.title)}</h2><p>{e(step.ask)}</p>"
                  "<p>What I noticed:</p><div class='write'></div><div class='write'></div>"
                  "</section>"]
    parts += ["<section><h2>Discuss</h2><ol>"]
    parts += [f"<li>{e(q)}</li>" for q in item.discussion]
    parts += ["</ol></section><footer>Social Credit Sandbox: a stylised teaching model, not a "
              "real scoring system.</footer></body></html>"]
    return "\n".join(parts) + "\n"


def _escape(text: str) -> str:
    return html_lib.escape(str(text), quote=True)

