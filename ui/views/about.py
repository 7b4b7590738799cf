"""About the model: mechanisms with provenance, myths and facts, sources, limits."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from scoring.constants import PROVENANCE
from scoring.events import EVENTS
from scoring.mechanisms import KINDS, REGISTRY

MODEL_DOC = Path(__file__).resolve().parents[2] / "docs" / "model.md"


def render() -> None:
    """Draw the about view."""
    st.header("About the model")
    st.warning("A stylised teaching model, not a real scoring system. It shows what rules "
               "like these would do; it does not claim that Sesame Credit, a government pilot "
               "or any other real system works this way.")
    st.markdown(
        "**Myths and facts.** Claims that low-scoring friends drag a Sesame score down, that "
        "political posts cost points, or that China has a single mandatory national score "
        "trace to a viral 2015 video and remain unsubstantiated. The government's social "
        "credit system is mostly court and regulator blacklists plus local pilots with points "
        "(for example Rongcheng), and is separate from Sesame Credit (China Law Translate, "
        "*Getting Rongcheng right*).")
    st.subheader("Mechanisms")
    # Plain tables: long cells wrap instead of being cut at a laptop's width.
    st.table(pd.DataFrame([{
        "Mechanism": m.title, "Kind": KINDS[m.kind], "Provenance": PROVENANCE[m.provenance],
        "What it does": m.description, "Source": m.source,
    } for m in REGISTRY]), hide_index=True, border="horizontal")
    st.subheader("Events the rules can score")
    st.table(pd.DataFrame([{
        "Event": e.label, "Seen by": e.observed_by, "Proxy": "yes" if e.is_proxy else "",
        "Provenance": PROVENANCE[e.provenance], "Source": e.source,
    } for e in EVENTS]), hide_index=True, border="horizontal")
    st.caption("Labels: reported by the operator = the operator said so; reported in the "
               "press = news reports; alleged = widely repeated, unsubstantiated; "
               "hypothetical = a thought experiment of this sandbox; law in force = the "
               "model's reading of an EU law, with its article and dates. Nothing here is "
               "legal advice.")
    with st.expander("The whole model: every formula, default, source and limit"):
        st.markdown(MODEL_DOC.read_text(encoding="utf-8"))
