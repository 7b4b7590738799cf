"""A class session's storage: start, join, predict, submit, reveal, lock, end, export.

Every function opens its own transaction on the database :mod:`classroom.db`
names (or ``url``) and raises :class:`ClassError`, with one plain sentence, for
anything a person did wrong (a wrong code, a full session, a student trying a
teacher's action). Each change first bumps the session's ``version``: that
makes concurrent changes to one session take turns (the row is locked on
PostgreSQL, the file on SQLite), and tells a teacher's screen something is new.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from classroom import codes, db
from classroom.models import ClassSession, Law, LawResult, Member, Prediction
from classroom.text import (
    NICKNAME_CHARS,
    SESSION_TITLE_CHARS,
    TITLE_CHARS,
    WHY_CHARS,
    InputError,
    clean,
)

MAX_MEMBERS = 60  # a large class, with room for a few joining twice from two devices
DEFAULT_RETENTION_DAYS = 7
MAX_CHOICE = 9


class ClassError(ValueError):
    """Something about a class session that cannot be done, in plain words."""


def _sentence(exc: Exception) -> str:
    text = str(exc)
    return text[:1].upper() + text[1:]


def retention_days() -> int:
    """Days a session is kept when its teacher does not end it (``CLASS_RETENTION_DAYS``)."""
    text = os.environ.get("CLASS_RETENTION_DAYS", "").strip()
    try:
        days = int(text) if text else DEFAULT_RETENTION_DAYS
    except ValueError:
        return DEFAULT_RETENTION_DAYS
    return min(max(days, 1), 365)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Started:
    """A new session: the code students type and the key that makes its holder the teacher."""

    code: str
    teacher_key: str


@dataclass(frozen=True)
class Joined:
    """A member: the key that keeps them the same member, and their nickname."""

    member_key: str
    nickname: str


@dataclass(frozen=True)
class LawRow:
    """A submitted law as the teacher sees it."""

    id: int
    nickname: str
    title: str
    why: str
    changes: dict[str, Any]
    digest: str
    sent: datetime


@dataclass(frozen=True)
class Snapshot:
    """Everything the teacher's screen shows of a session, read at once."""

    code: str
    title: str
    lesson: str | None
    scenario: str
    revealed: bool
    answers_locked: bool
    laws_locked: bool
    shown_law: int | None
    version: int
    created: datetime
    members: int
    answers: dict[str, Counter] = field(default_factory=dict)
    laws: tuple[LawRow, ...] = ()
    results: dict[str, dict[str, list[float]]] = field(default_factory=dict)

    @property
    def expires(self) -> datetime:
        """When the session is deleted if its teacher does not end it first."""
        return self.created + timedelta(days=retention_days())


def _find(db_session, code: object) -> ClassSession:
    typed = codes.normalise(code)
    if not codes.looks_like_a_code(typed):
        raise ClassError(f"'{typed or code}' is not a join code: a code is "
                         f"{codes.CODE_LENGTH} letters and digits, such as "
                         "'K7MPQ4', shown on the teacher's screen")
    found = db_session.scalar(select(ClassSession).where(ClassSession.code == typed))
    if found is None:
        raise ClassError(f"No class session has the code {typed}. Check it on the teacher's "
                         "screen; a session is deleted when its teacher ends it, or after "
                         f"{retention_days()} days")
    return found


def _touch(db_session, found: ClassSession) -> None:
    """Bump the version first: concurrent changes to one session take turns from here."""
    done = db_session.execute(update(ClassSession).where(ClassSession.id == found.id)
                              .values(version=ClassSession.version + 1))
    if done.rowcount == 0:
        raise ClassError("This class session has just been ended by its teacher")
    db_session.refresh(found)


def _teacher(db_session, code: object, key: object) -> ClassSession:
    found = _find(db_session, code)
    if not isinstance(key, str) or codes.digest(key) != found.teacher_key:
        raise ClassError("Only the teacher can do that: it needs the teacher's link")
    _touch(db_session, found)
    return found


def _member(db_session, found: ClassSession, member_key: object) -> Member:
    if not isinstance(member_key, str) or not member_key:
        raise ClassError("Join the class session first (its code is on the teacher's screen)")
    member = db_session.scalar(select(Member).where(Member.key == codes.digest(member_key),
                                                    Member.session_id == found.id))
    if member is None:
        raise ClassError("You are not a member of this class session: join it again with "
                         "its code")
    return member


def start(title: object, scenario: str, lesson: str | None = None,
          url: str | None = None) -> Started:
    """Start a session for a teacher (old sessions past retention are deleted first)."""
    try:
        shown = clean(title, SESSION_TITLE_CHARS, "session's title") or "Class session"
    except InputError as exc:
        raise ClassError(_sentence(exc)) from None
    purge(retention_days(), url=url)
    key = codes.new_key()
    for _ in range(20):
        code = codes.new_code()
        try:
            with db.session(url) as s, s.begin():
                s.add(ClassSession(code=code, teacher_key=codes.digest(key), title=shown,
                                   lesson=lesson, scenario=scenario, revealed=False,
                                   answers_locked=False, laws_locked=False, version=0,
                                   created=_now()))
        except IntegrityError:
            continue  # the code is taken: draw another
        return Started(code, key)
    raise ClassError("Could not find a free join code; try again")


def is_teacher(code: object, key: object, url: str | None = None) -> bool:
    """True if ``key`` is the teacher's key of the session ``code``."""
    if not isinstance(key, str):
        return False
    with db.session(url) as s:
        try:
            found = _find(s, code)
        except ClassError:
            return False
        return codes.digest(key) == found.teacher_key


def join(code: object, nickname: object = "", url: str | None = None) -> Joined:
    """Join a session; an empty nickname becomes "Student N"."""
    try:
        name = clean(nickname, NICKNAME_CHARS, "nickname")
    except InputError as exc:
        raise ClassError(_sentence(exc)) from None
    key = codes.new_key()
    try:
        with db.session(url) as s, s.begin():
            found = _find(s, code)
            _touch(s, found)
            count = s.scalar(select(func.count()).select_from(Member)
                             .where(Member.session_id == found.id))
            if count >= MAX_MEMBERS:
                raise ClassError(f"This class session is full: it takes at most {MAX_MEMBERS} "
                                 "members. Ask your teacher to start a second one")
            taken = set(s.scalars(select(Member.nickname).where(Member.session_id == found.id)))
            if not name:
                number = count + 1
                while f"Student {number}" in taken:
                    number += 1
                name = f"Student {number}"
            elif name.casefold() in {t.casefold() for t in taken}:
                raise ClassError(f"Someone in this session is already called '{name}': "
                                 "pick another nickname")
            s.add(Member(session_id=found.id, key=codes.digest(key), nickname=name,
                         joined=_now()))
    except IntegrityError:
        raise ClassError(f"Someone in this session is already called '{name}': "
                         "pick another nickname") from None
    return Joined(key, name)


def nickname_of(code: object, member_key: object, url: str | None = None) -> str | None:
    """The member's nickname, or None if the key is not a member of that session."""
    with db.session(url) as s:
        try:
            return _member(s, _find(s, code), member_key).nickname
        except ClassError:
            return None


def predict(code: object, member_key: object, lesson: str, choice: int,
            url: str | None = None) -> None:
    """Keep a member's prediction (a new answer replaces theirs until answers are locked)."""
    if not isinstance(choice, int) or not 0 <= choice <= MAX_CHOICE:
        raise ClassError("That answer is not one of the choices")
    with db.session(url) as s, s.begin():
        found = _find(s, code)
        member = _member(s, found, member_key)
        _touch(s, found)
        if found.answers_locked:
            raise ClassError("Your teacher has closed the answers: yours was not sent")
        old = s.scalar(select(Prediction).where(Prediction.member_id == member.id,
                                                Prediction.lesson == lesson))
        if old is None:
            s.add(Prediction(session_id=found.id, member_id=member.id, lesson=lesson,
                             choice=choice, sent=_now()))
        else:
            old.choice, old.sent = choice, _now()


def canonical(changes: dict[str, Any]) -> str:
    """The one JSON text of a set of changes (identical laws get identical text)."""
    return json.dumps(changes, sort_keys=True, separators=(",", ":"))


def digest_of(changes: dict[str, Any]) -> str:
    """What tells identical laws apart from different ones."""
    return codes.digest(canonical(changes))


def check_law(title: object, why: object) -> tuple[str, str]:
    """A law's title and reason as kept.

    Raises:
        ClassError: if either is empty or too long.
    """
    try:
        return (clean(title, TITLE_CHARS, "title", required=True),
                clean(why, WHY_CHARS, "reason", required=True))
    except InputError as exc:
        raise ClassError(_sentence(exc)) from None


def submit_law(code: object, member_key: object, title: object, why: object,
               changes: dict[str, Any], url: str | None = None) -> int:
    """Keep a member's law (a new one replaces theirs until laws are locked); its id."""
    shown, reason = check_law(title, why)
    text = canonical(changes)
    with db.session(url) as s, s.begin():
        found = _find(s, code)
        member = _member(s, found, member_key)
        _touch(s, found)
        if found.laws_locked:
            raise ClassError("Your teacher has closed the policy lab: your law was not sent")
        old = s.scalar(select(Law).where(Law.member_id == member.id))
        values = dict(title=shown, why=reason, changes=text, digest=digest_of(changes),
                      sent=_now())
        if old is None:
            law = Law(session_id=found.id, member_id=member.id, **values)
            s.add(law)
            s.flush()
            return law.id
        for name, value in values.items():
            setattr(old, name, value)
        return old.id


def law_of(code: object, member_key: object, url: str | None = None) -> LawRow | None:
    """The member's own submitted law, if any."""
    with db.session(url) as s:
        found = _find(s, code)
        member = _member(s, found, member_key)
        law = s.scalar(select(Law).where(Law.member_id == member.id))
        if law is None:
            return None
        return LawRow(law.id, member.nickname, law.title, law.why, json.loads(law.changes),
                      law.digest, law.sent)


def has_result(code: object, digest: str, url: str | None = None) -> bool:
    """True if a law with these changes has been simulated for this session."""
    with db.session(url) as s:
        found = _find(s, code)
        return s.scalar(select(func.count()).select_from(LawResult).where(
            LawResult.session_id == found.id, LawResult.digest == digest)) > 0


def keep_result(code: object, digest: str, measures: dict[str, list[float]],
                url: str | None = None) -> None:
    """Keep a law's measures (once: a second, identical result is dropped)."""
    try:
        with db.session(url) as s, s.begin():
            found = _find(s, code)
            if s.scalar(select(LawResult.id).where(LawResult.session_id == found.id,
                                                   LawResult.digest == digest)) is None:
                _touch(s, found)
                s.add(LawResult(session_id=found.id, digest=digest,
                                measures=json.dumps(measures)))
    except IntegrityError:
        pass  # another copy kept the same result a moment ago


def _set(code: object, key: object, url: str | None, **values: Any) -> None:
    with db.session(url) as s, s.begin():
        found = _teacher(s, code, key)
        for name, value in values.items():
            setattr(found, name, value)


def reveal(code: object, key: object, shown: bool = True, url: str | None = None) -> None:
    """Show (or hide again) the class's answers on the teacher's screen."""
    _set(code, key, url, revealed=bool(shown))


def lock_answers(code: object, key: object, locked: bool = True, url: str | None = None) -> None:
    """Close (or reopen) the answers."""
    _set(code, key, url, answers_locked=bool(locked))


def lock_laws(code: object, key: object, locked: bool = True, url: str | None = None) -> None:
    """Close (or reopen) the policy lab."""
    _set(code, key, url, laws_locked=bool(locked))


def set_lesson(code: object, key: object, lesson: str | None, url: str | None = None) -> None:
    """Change the session's lesson (its answers are hidden again)."""
    _set(code, key, url, lesson=lesson, revealed=False)


def show_law(code: object, key: object, law_id: int | None, url: str | None = None) -> None:
    """Open one law for the whole class (None: none)."""
    with db.session(url) as s, s.begin():
        found = _teacher(s, code, key)
        if law_id is not None and s.scalar(select(Law.id).where(
                Law.id == law_id, Law.session_id == found.id)) is None:
            raise ClassError("That law is not in this session")
        found.shown_law = law_id


def snapshot(code: object, url: str | None = None) -> Snapshot:
    """The session as its screens show it."""
    with db.session(url) as s:
        found = _find(s, code)
        members = dict(s.execute(select(Member.id, Member.nickname)
                                 .where(Member.session_id == found.id)).all())
        answers: dict[str, Counter] = {}
        for lesson, choice in s.execute(select(Prediction.lesson, Prediction.choice)
                                        .where(Prediction.session_id == found.id)):
            answers.setdefault(lesson, Counter())[choice] += 1
        laws = tuple(LawRow(law.id, members.get(law.member_id, "?"), law.title, law.why,
                            json.loads(law.changes), law.digest, law.sent)
                     for law in s.scalars(select(Law).where(Law.session_id == found.id)
                                          .order_by(Law.sent, Law.id)))
        results = {row.digest: json.loads(row.measures) for row in s.scalars(
            select(LawResult).where(LawResult.session_id == found.id))}
        return Snapshot(found.code, found.title, found.lesson, found.scenario, found.revealed,
                        found.answers_locked, found.laws_locked, found.shown_law,
                        found.version, found.created, len(members), answers, laws, results)


def version(code: object, url: str | None = None) -> int | None:
    """The session's version (None if it has gone): a cheap "anything new?"."""
    with db.session(url) as s:
        return s.scalar(select(ClassSession.version).where(
            ClassSession.code == codes.normalise(code)))


def _cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: a leading = + - or @ gets a quote mark."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _export(s, found: ClassSession) -> str:
    members = dict(s.execute(select(Member.id, Member.nickname)
                             .where(Member.session_id == found.id)).all())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["kind", "nickname", "lesson", "answer", "title", "why", "changes", "sent"])
    for p in s.scalars(select(Prediction).where(Prediction.session_id == found.id)
                       .order_by(Prediction.sent)):
        writer.writerow([_cell(v) for v in (
            "prediction", members.get(p.member_id, ""), p.lesson, p.choice, "", "", "",
            p.sent.isoformat(timespec="seconds"))])
    for law in s.scalars(select(Law).where(Law.session_id == found.id).order_by(Law.sent)):
        writer.writerow([_cell(v) for v in (
            "law", members.get(law.member_id, ""), "", "", law.title, law.why, law.changes,
            law.sent.isoformat(timespec="seconds"))])
    return out.getvalue()


def export_csv(code: object, key: object, url: str | None = None) -> str:
    """Every answer and law of a session as CSV (teacher only)."""
    with db.session(url) as s:
        found = _find(s, code)
        if not isinstance(key, str) or codes.digest(key) != found.teacher_key:
            raise ClassError("Only the teacher can do that: it needs the teacher's link")
        return _export(s, found)


def end(code: object, key: object, url: str | None = None) -> None:
    """End a session: everything of it is deleted at once (teacher only)."""
    with db.session(url) as s, s.begin():
        found = _teacher(s, code, key)
        s.execute(delete(ClassSession).where(ClassSession.id == found.id))


# The command line's admin (it holds the database, so it needs no teacher key).

def admin_list(url: str | None = None) -> list[dict[str, Any]]:
    """Every session: code, title, lesson, members, laws, created, expires."""
    with db.session(url) as s:
        rows = []
        for found in s.scalars(select(ClassSession).order_by(ClassSession.created)):
            count = s.scalar(select(func.count()).select_from(Member)
                             .where(Member.session_id == found.id))
            laws = s.scalar(select(func.count()).select_from(Law)
                            .where(Law.session_id == found.id))
            rows.append({"code": found.code, "title": found.title, "lesson": found.lesson or "",
                         "members": count, "laws": laws,
                         "created": found.created.isoformat(timespec="seconds"),
                         "expires": (found.created + timedelta(days=retention_days()))
                         .isoformat(timespec="seconds")})
        return rows


def admin_export(code: object, url: str | None = None) -> str:
    """A session's answers and laws as CSV."""
    with db.session(url) as s:
        return _export(s, _find(s, code))


def admin_end(code: object, url: str | None = None) -> None:
    """End a session."""
    with db.session(url) as s, s.begin():
        found = _find(s, code)
        s.execute(delete(ClassSession).where(ClassSession.id == found.id))


def purge(older_than_days: float, url: str | None = None) -> int:
    """Delete sessions started more than ``older_than_days`` days ago; how many."""
    if older_than_days < 0:
        raise ClassError("The number of days cannot be negative")
    cutoff = _now() - timedelta(days=older_than_days)
    with db.session(url) as s, s.begin():
        done = s.execute(delete(ClassSession).where(ClassSession.created < cutoff))
        return done.rowcount or 0
