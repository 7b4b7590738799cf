"""Social Credit Sandbox: the app (run with ``make run``)."""

import plotly.express as px
import streamlit as st

from scoring import compute_metrics, load_preset, simulate

st.set_page_config(page_title="Social Credit Sandbox", layout="wide")
st.title("Social Credit Sandbox")


@st.cache_data(max_entries=4)
def _run(name: str) -> dict:
    return compute_metrics(simulate(load_preset(name)))


metrics = _run("baseline")
rows = [
    {"month": m["month"], "group": g, "mean score": v}
    for m in metrics["by_month"]
    for g, v in m["mean_score"]["by_group"].items()
]
st.plotly_chart(px.line(rows, x="month", y="mean score", color="group"))
