"""The tables of a class session (the migrations in ``migrations/`` create them).

One row per session, member, prediction, submitted law, and result of a law
(shared by identical submissions, which simulate once). Deleting a session
deletes everything of it (``ON DELETE CASCADE``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """The tables' common base."""


class ClassSession(Base):
    """A class session: its code, its teacher's key (hashed), its state."""

    __tablename__ = "class_session"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True, index=True)
    teacher_key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(100))
    lesson: Mapped[str | None] = mapped_column(String(40), nullable=True)
    scenario: Mapped[str] = mapped_column(Text)  # the starting scenario's share token
    revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    answers_locked: Mapped[bool] = mapped_column(Boolean, default=False)
    laws_locked: Mapped[bool] = mapped_column(Boolean, default=False)
    shown_law: Mapped[int | None] = mapped_column(Integer, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[datetime] = mapped_column(DateTime)


class Member(Base):
    """A student in a session: a nickname and the hash of their member key."""

    __tablename__ = "member"
    __table_args__ = (UniqueConstraint("session_id", "nickname"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id", ondelete="CASCADE"),
                                            index=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    nickname: Mapped[str] = mapped_column(String(40))
    joined: Mapped[datetime] = mapped_column(DateTime)


class Prediction(Base):
    """A member's answer to a lesson's prediction (one per member and lesson)."""

    __tablename__ = "prediction"
    __table_args__ = (UniqueConstraint("member_id", "lesson"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id", ondelete="CASCADE"),
                                            index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    lesson: Mapped[str] = mapped_column(String(40))
    choice: Mapped[int] = mapped_column(Integer)
    sent: Mapped[datetime] = mapped_column(DateTime)


class Law(Base):
    """A member's submitted scoring law: changes from the session's scenario (one each)."""

    __tablename__ = "law"
    __table_args__ = (UniqueConstraint("member_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id", ondelete="CASCADE"),
                                            index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(100))
    why: Mapped[str] = mapped_column(Text)
    changes: Mapped[str] = mapped_column(Text)  # canonical JSON of dotted changes
    digest: Mapped[str] = mapped_column(String(64), index=True)
    sent: Mapped[datetime] = mapped_column(DateTime)


class LawResult(Base):
    """A law's measures on the session's people and seeds, kept once per distinct law."""

    __tablename__ = "law_result"
    __table_args__ = (UniqueConstraint("session_id", "digest"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id", ondelete="CASCADE"),
                                            index=True)
    digest: Mapped[str] = mapped_column(String(64))
    measures: Mapped[str] = mapped_column(Text)  # JSON: measure -> value on each seed
