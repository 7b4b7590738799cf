"""This browser session's place in a class session: as its teacher, as a member, or neither.

The address bar keeps it (``?class=CODE&member=KEY`` or ``&key=TEACHER_KEY``),
so a reload, or the teacher's link opened on another device, is the same
teacher or member. Session state holds it between pages, where Streamlit
clears the address bar's other parameters.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

PARAMS = ("class", "member", "key")


def _ss() -> Any:
    return st.session_state


def init() -> None:
    """Take a class link's code and key, if the address bar has them."""
    ss = _ss()
    code = st.query_params.get("class")
    if code and code != ss.get("class_code"):
        ss.class_code = code
        ss.class_member = None
        ss.class_key = None
    if code:
        if st.query_params.get("member"):
            ss.class_member = st.query_params.get("member")
        if st.query_params.get("key"):
            ss.class_key = st.query_params.get("key")


def params() -> dict[str, str]:
    """The address bar parameters that keep this place."""
    ss = _ss()
    if not ss.get("class_code"):
        return {}
    found = {"class": ss.class_code}
    if ss.get("class_key"):
        found["key"] = ss.class_key
    elif ss.get("class_member"):
        found["member"] = ss.class_member
    return found


def sync_url() -> None:
    """Write this place into the address bar (once: only what differs)."""
    wanted = params()
    for name in PARAMS:
        if name in wanted and st.query_params.get(name) != wanted[name]:
            st.query_params[name] = wanted[name]
        elif name not in wanted and name in st.query_params:
            del st.query_params[name]


def code() -> str | None:
    """The class session's code, if this browser session is in one."""
    return _ss().get("class_code")


def member_key() -> str | None:
    """This student's member key."""
    return _ss().get("class_member")


def teacher_key() -> str | None:
    """This teacher's key."""
    return _ss().get("class_key")


def set_place(class_code: str, member: str | None = None, key: str | None = None) -> None:
    """Be a member (``member``) or the teacher (``key``) of ``class_code``."""
    ss = _ss()
    ss.class_code, ss.class_member, ss.class_key = class_code, member, key


def leave() -> None:
    """Leave the class session (it goes on for the others)."""
    set_place(None)
    for name in PARAMS:
        if name in st.query_params:
            del st.query_params[name]
