"""Class sessions: a whole class joins one session, predicts and proposes scoring laws.

A layer of its own beside the command line and the app: it stores sessions,
members, predictions and submitted laws in a database (:mod:`classroom.db`,
SQLite by default, PostgreSQL through ``DATABASE_URL``), and reads the engine's
results through :mod:`classroom.policy`. It never imports the app.
"""
