"""Class sessions: sessions, members, predictions, laws and their results.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _session_id() -> sa.Column:
    return sa.Column("session_id", sa.Integer,
                     sa.ForeignKey("class_session.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    """Create the five tables."""
    op.create_table(
        "class_session",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("teacher_key", sa.String(64), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("lesson", sa.String(40), nullable=True),
        sa.Column("scenario", sa.Text, nullable=False),
        sa.Column("revealed", sa.Boolean, nullable=False),
        sa.Column("answers_locked", sa.Boolean, nullable=False),
        sa.Column("laws_locked", sa.Boolean, nullable=False),
        sa.Column("shown_law", sa.Integer, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("ix_class_session_code", "class_session", ["code"], unique=True)
    op.create_table(
        "member",
        sa.Column("id", sa.Integer, primary_key=True),
        _session_id(),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("nickname", sa.String(40), nullable=False),
        sa.Column("joined", sa.DateTime, nullable=False),
        sa.UniqueConstraint("session_id", "nickname"),
    )
    op.create_index("ix_member_session_id", "member", ["session_id"])
    op.create_table(
        "prediction",
        sa.Column("id", sa.Integer, primary_key=True),
        _session_id(),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("member.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("lesson", sa.String(40), nullable=False),
        sa.Column("choice", sa.Integer, nullable=False),
        sa.Column("sent", sa.DateTime, nullable=False),
        sa.UniqueConstraint("member_id", "lesson"),
    )
    op.create_index("ix_prediction_session_id", "prediction", ["session_id"])
    op.create_table(
        "law",
        sa.Column("id", sa.Integer, primary_key=True),
        _session_id(),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("member.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("changes", sa.Text, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("sent", sa.DateTime, nullable=False),
        sa.UniqueConstraint("member_id"),
    )
    op.create_index("ix_law_session_id", "law", ["session_id"])
    op.create_index("ix_law_digest", "law", ["digest"])
    op.create_table(
        "law_result",
        sa.Column("id", sa.Integer, primary_key=True),
        _session_id(),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("measures", sa.Text, nullable=False),
        sa.UniqueConstraint("session_id", "digest"),
    )
    op.create_index("ix_law_result_session_id", "law_result", ["session_id"])


def downgrade() -> None:
    """Drop the five tables."""
    for table in ("law_result", "law", "prediction", "member", "class_session"):
        op.drop_table(table)
