"""``python -m scoring class ...``: a class session's admin, over the same ``DATABASE_URL``.

The command line holds the database itself, so it needs no teacher key:
``list`` the sessions, ``export`` one as CSV, ``end`` one, ``purge`` old ones.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from classroom import codes, db, store


def add_commands(sub) -> None:
    """Add ``class`` and its commands to the command line's subparsers."""
    parser = sub.add_parser("class", help="class sessions: list, export, end, purge")
    commands = parser.add_subparsers(dest="class_command", required=True,
                                     parser_class=type(parser))
    listing = commands.add_parser("list", help="every session: code, title, members, expiry")
    listing.set_defaults(func=cmd_list)
    export = commands.add_parser("export", help="a session's answers and laws as CSV")
    export.add_argument("code")
    export.add_argument("--out", required=True, metavar="FILE.csv")
    export.set_defaults(func=cmd_export)
    end = commands.add_parser("end", help="end a session: all of its data are deleted")
    end.add_argument("code")
    end.set_defaults(func=cmd_end)
    purge = commands.add_parser("purge", help="delete sessions started more than DAYS ago")
    purge.add_argument("--older-than", type=float, required=True, metavar="DAYS")
    purge.set_defaults(func=cmd_purge)


def _fail(exc: Exception) -> int:
    print(f"error: {exc}", file=sys.stderr)
    return 1


def cmd_list(_args: argparse.Namespace) -> int:
    """Print every session, one per line."""
    rows = store.admin_list()
    print(f"# {db.describe(db.database_url())}: {len(rows)} session(s)")
    for row in rows:
        print(f"{row['code']}  {row['members']:>3} members  {row['laws']:>3} laws  "
              f"started {row['created']}  deleted by {row['expires']}  "
              f"{row['title']!r}" + (f"  lesson {row['lesson']}" if row["lesson"] else ""))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write a session's answers and laws as CSV."""
    try:
        text = store.admin_export(args.code)
    except store.ClassError as exc:
        return _fail(exc)
    try:
        Path(args.out).write_text(text, encoding="utf-8")
    except OSError as exc:
        return _fail(f"cannot write {args.out}: {exc.strerror}")
    print(f"wrote {args.out} ({text.count(chr(10)) - 1} rows)")
    return 0


def cmd_end(args: argparse.Namespace) -> int:
    """End a session."""
    try:
        store.admin_end(args.code)
    except store.ClassError as exc:
        return _fail(exc)
    print(f"ended {codes.normalise(args.code)}: its data are deleted")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    """Delete old sessions."""
    try:
        count = store.purge(args.older_than)
    except store.ClassError as exc:
        return _fail(exc)
    print(f"deleted {count} session(s) started more than {args.older_than:g} days ago")
    return 0
