"""The Streamlit app's views and helpers. The engine never imports this package."""
