"""Class sessions' storage, on SQLite and on PostgreSQL (the ``database`` fixture runs both).

Every case of bad input and abuse in docs/robustness.md ("Class sessions") has
a test here: wrong and expired codes, a full session, duplicate joins, long,
empty, HTML and control-character text, teacher actions without the key, two
teacher actions at once, a law that does not validate.
"""

from __future__ import annotations

import csv
import io
import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import inspect, update

from classroom import codes, db, policy, store
from classroom.models import Base, ClassSession
from classroom.text import NICKNAME_CHARS, WHY_CHARS, InputError, clean
from scoring.presets import load_preset
from scoring.scenario import ScenarioError
from scoring.sharelink import encode

BASE = encode(load_preset("baseline"))


def _session(url, lesson="perks"):
    return store.start("Year 11", BASE, lesson, url=url)


# Codes and text (no database).

def test_codes_leave_out_every_look_alike_character():
    for ch in "0O1IL2Z5S8B":
        assert ch not in codes.ALPHABET
    drawn = {codes.new_code() for _ in range(300)}
    assert all(codes.looks_like_a_code(c) for c in drawn) and len(drawn) > 290
    assert codes.normalise(" k7m-pq4 ") == "K7MPQ4"
    assert not codes.looks_like_a_code("K7MPQ0")


def test_text_keeps_markup_as_letters_and_drops_control_characters():
    assert clean("<b>Sam</b>", 24, "nickname") == "<b>Sam</b>"
    assert clean("  Sam\x00\x1b[31m \n Lee\u200b ", 24, "nickname") == "Sam [31m Lee"
    with pytest.raises(InputError, match="at most 24"):
        clean("x" * 25, 24, "nickname")
    with pytest.raises(InputError, match="empty"):
        clean(" \t\n", 60, "title", required=True)
    with pytest.raises(InputError, match="must be text"):
        clean(["a"], 60, "title")


# The storage, on both databases.

def test_migrations_make_exactly_the_tables_the_models_describe(database):
    engine = db.engine_for(database)
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert tables == set(Base.metadata.tables)
    for name, table in Base.metadata.tables.items():
        columns = {c["name"] for c in inspect(engine).get_columns(name)}
        assert columns == {c.name for c in table.columns}, name


def test_a_whole_round_is_stored_and_exported(database):
    started = _session(database)
    ana = store.join(started.code, "Ana", url=database)
    ben = store.join(started.code.lower(), "", url=database)  # typed in lower case
    assert ben.nickname == "Student 2"
    store.predict(started.code, ana.member_key, "perks", 2, url=database)
    store.predict(started.code, ben.member_key, "perks", 0, url=database)
    store.predict(started.code, ben.member_key, "perks", 2, url=database)  # changes their mind
    law = store.submit_law(started.code, ana.member_key, "No cameras", "They see Riverside.",
                           {"mechanisms.cameras": False}, url=database)
    again = store.submit_law(started.code, ana.member_key, "No cameras at all", "Still.",
                             {"mechanisms.cameras": False}, url=database)
    assert again == law  # one law per member: a new one replaces it
    snap = store.snapshot(started.code, url=database)
    assert snap.members == 2 and snap.answers["perks"] == {2: 2}
    assert [(x.title, x.nickname) for x in snap.laws] == [("No cameras at all", "Ana")]
    rows = list(csv.DictReader(io.StringIO(
        store.export_csv(started.code, started.teacher_key, url=database))))
    assert sorted(r["kind"] for r in rows) == ["law", "prediction", "prediction"]
    assert {r["nickname"] for r in rows} == {"Ana", "Student 2"}


def test_a_reload_keeps_the_member_and_the_teacher(database):
    started = _session(database)
    ana = store.join(started.code, "Ana", url=database)
    assert store.nickname_of(started.code, ana.member_key, url=database) == "Ana"
    assert store.is_teacher(started.code, started.teacher_key, url=database)
    assert not store.is_teacher(started.code, ana.member_key, url=database)
    assert store.nickname_of(started.code, "made-up", url=database) is None


@pytest.mark.parametrize("typed, message", [
    ("", "is not a join code"), ("K7MP", "is not a join code"),
    ("<script>", "is not a join code"), ("KKKKKK", "No class session has the code KKKKKK"),
])
def test_wrong_codes_are_refused_in_plain_words(database, typed, message):
    with pytest.raises(store.ClassError, match=message):
        store.join(typed, "Ana", url=database)


def test_an_ended_or_expired_session_cannot_be_joined(database):
    ended = _session(database)
    store.end(ended.code, ended.teacher_key, url=database)
    with pytest.raises(store.ClassError, match="No class session has the code"):
        store.join(ended.code, "Ana", url=database)
    old = _session(database)
    with db.session(database) as s, s.begin():
        s.execute(update(ClassSession).where(ClassSession.code == old.code)
                  .values(created=ClassSession.created - timedelta(days=8)))
    _session(database)  # starting a session deletes those past the 7 days
    with pytest.raises(store.ClassError, match="after 7 days"):
        store.join(old.code, "Ana", url=database)


def test_a_full_session_says_its_limit(database, monkeypatch):
    monkeypatch.setattr(store, "MAX_MEMBERS", 3)
    started = _session(database)
    for name in ("A", "B", "C"):
        store.join(started.code, name, url=database)
    with pytest.raises(store.ClassError, match="full: it takes at most 3 members"):
        store.join(started.code, "D", url=database)


def test_a_taken_nickname_is_refused_whatever_its_case(database):
    started = _session(database)
    store.join(started.code, "Ana", url=database)
    with pytest.raises(store.ClassError, match="already called 'ANA'"):
        store.join(started.code, "ANA", url=database)


def test_long_empty_and_strange_text(database):
    started = _session(database)
    with pytest.raises(store.ClassError, match=f"at most {NICKNAME_CHARS}"):
        store.join(started.code, "x" * 200, url=database)
    odd = store.join(started.code, "<img src=x onerror=1>\x07", url=database)
    assert odd.nickname == "<img src=x onerror=1>"  # kept as text, shown as text
    with pytest.raises(store.ClassError, match="empty"):
        store.submit_law(started.code, odd.member_key, "   ", "why", {}, url=database)
    with pytest.raises(store.ClassError, match=f"at most {WHY_CHARS}"):
        store.submit_law(started.code, odd.member_key, "T", "w" * 1000, {}, url=database)
    assert store.snapshot(started.code, url=database).laws == ()


def test_students_cannot_do_what_only_the_teacher_can(database):
    started = _session(database)
    ana = store.join(started.code, "Ana", url=database)
    for action in (store.reveal, store.lock_answers, store.lock_laws, store.end):
        for key in (ana.member_key, "", None, started.teacher_key + "x"):
            with pytest.raises(store.ClassError, match="Only the teacher"):
                action(started.code, key, url=database)
    with pytest.raises(store.ClassError, match="Only the teacher"):
        store.export_csv(started.code, ana.member_key, url=database)
    with pytest.raises(store.ClassError, match="not a member"):
        store.predict(started.code, started.teacher_key, "perks", 1, url=database)
    snap = store.snapshot(started.code, url=database)
    assert not (snap.revealed or snap.answers_locked or snap.laws_locked)


def test_locks_refuse_new_answers_and_laws_and_keep_the_old(database):
    started = _session(database)
    ana = store.join(started.code, "Ana", url=database)
    store.predict(started.code, ana.member_key, "perks", 1, url=database)
    store.lock_answers(started.code, started.teacher_key, url=database)
    with pytest.raises(store.ClassError, match="closed the answers"):
        store.predict(started.code, ana.member_key, "perks", 2, url=database)
    store.lock_laws(started.code, started.teacher_key, url=database)
    with pytest.raises(store.ClassError, match="closed the policy lab"):
        store.submit_law(started.code, ana.member_key, "T", "W", {}, url=database)
    assert store.snapshot(started.code, url=database).answers["perks"] == {1: 1}


def test_two_teacher_actions_at_once_take_turns(database):
    started = _session(database)
    errors: list[Exception] = []

    def act(action, *args):
        try:
            action(started.code, started.teacher_key, *args, url=database)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=act, args=(store.reveal, i % 2 == 0)) for i in range(6)]
    threads += [threading.Thread(target=act, args=(store.lock_answers, True)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    snap = store.snapshot(started.code, url=database)
    assert snap.answers_locked and snap.version == 12  # every action counted once
    # Ending while another action runs: that one is refused in words, never half-done.
    racing = [threading.Thread(target=act, args=(store.lock_laws, True)) for _ in range(4)]
    ender = threading.Thread(target=lambda: act(store.end))
    for t in [*racing, ender]:
        t.start()
    for t in [*racing, ender]:
        t.join()
    assert all(isinstance(e, store.ClassError) for e in errors), errors
    assert store.version(started.code, url=database) is None


def test_many_students_join_at_once_without_losing_one(database):
    started = _session(database)
    problems: list[Exception] = []

    def join(i):
        try:
            joined = store.join(started.code, f"S{i}", url=database)
            store.predict(started.code, joined.member_key, "perks", i % 3, url=database)
        except Exception as exc:  # noqa: BLE001
            problems.append(exc)

    threads = [threading.Thread(target=join, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert problems == []
    snap = store.snapshot(started.code, url=database)
    assert snap.members == 20 and sum(snap.answers["perks"].values()) == 20


def test_identical_laws_are_kept_and_simulated_once(database):
    started = _session(database)
    a = store.join(started.code, "A", url=database)
    b = store.join(started.code, "B", url=database)
    for member in (a, b):
        store.submit_law(started.code, member.member_key, "Same", "Same.",
                         {"mechanisms.friends": False, "mechanisms.cameras": False},
                         url=database)
    snap = store.snapshot(started.code, url=database)
    assert len({law.digest for law in snap.laws}) == 1  # the order of changes does not matter
    digest = snap.laws[0].digest
    store.keep_result(started.code, digest, {"group_gap": [1.0]}, url=database)
    store.keep_result(started.code, digest, {"group_gap": [2.0]}, url=database)
    assert store.snapshot(started.code, url=database).results == {digest: {"group_gap": [1.0]}}


def test_purge_deletes_only_the_old(database):
    keep = _session(database)
    old = _session(database)
    with db.session(database) as s, s.begin():
        s.execute(update(ClassSession).where(ClassSession.code == old.code)
                  .values(created=ClassSession.created - timedelta(days=3)))
    assert store.purge(2, url=database) == 1
    assert [r["code"] for r in store.admin_list(url=database)] == [keep.code]
    with pytest.raises(store.ClassError, match="negative"):
        store.purge(-1, url=database)


def test_an_export_cannot_smuggle_a_spreadsheet_formula(database):
    started = _session(database)
    evil = store.join(started.code, "=HYPERLINK(1)", url=database)
    store.submit_law(started.code, evil.member_key, "+1", "@SUM(A1)", {}, url=database)
    text = store.export_csv(started.code, started.teacher_key, url=database)
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert not any(c[:1] in "=+-@" for c in cells if c)
    assert "'=HYPERLINK(1)" in cells


# The policy lab's reading of results (no database).

def test_a_law_that_does_not_validate_is_refused_with_its_reason():
    with pytest.raises(ScenarioError):
        policy.scenario_of(load_preset("baseline"), {"population.size": -5})
    with pytest.raises(ScenarioError):
        policy.scenario_of(load_preset("baseline"), {"no.such.setting": 1})


def test_the_seed_and_the_labels_are_not_part_of_a_law():
    base = load_preset("baseline")
    mine = base.model_copy(update={"seed": base.seed + 3})
    assert policy.law_changes(base, mine) == {}
    # A law preset loaded into the sandbox: its principles, not its name.
    law = policy.law_changes(base, load_preset("gdpr_and_ai_act"))
    assert "name" not in law and "description" not in law
    assert law["mechanisms.data_minimisation"] is True
    assert policy.scenario_of(base, law).mechanisms == load_preset("gdpr_and_ai_act").mechanisms


def test_common_to_fairest_finds_what_the_fairest_laws_share():
    fair = {"group_gap": [0.5, -0.5]}
    unfair = {"group_gap": [12.0, 14.0]}
    laws = [({"mechanisms.cameras": False}, fair),
            ({"mechanisms.cameras": False, "mechanisms.friends": False}, fair),
            ({"mechanisms.perks": False}, unfair), ({}, unfair), ({"a": 1}, unfair),
            ({"b": 2}, unfair)]
    count, shared = policy.common_to_fairest(laws, "group_gap")
    assert count == 2
    assert shared[0] == (("mechanisms.cameras", False), 2, 0)
    assert policy.unfairness(fair, "group_gap") == 0.0


def test_the_robustness_catalogue_names_only_tests_that_exist():
    from pathlib import Path

    text = (Path(__file__).parents[1] / "docs" / "robustness.md").read_text()
    section = text.split("## Class sessions", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"^\| `(test_[a-z0-9_]+)` \|", section, flags=re.MULTILINE))
    assert len(named) >= 12
    assert named <= set(globals()), sorted(named - set(globals()))


def test_the_command_line_lists_exports_ends_and_purges(tmp_path, monkeypatch, capsys):
    from scoring.cli import main

    monkeypatch.setenv("CLASS_DB", str(tmp_path / "admin.sqlite3"))
    started = store.start("Year 11", BASE, "perks")
    joined = store.join(started.code, "Ana")
    store.predict(started.code, joined.member_key, "perks", 2)
    assert main(["class", "list"]) == 0
    assert started.code in capsys.readouterr().out
    out = tmp_path / "class.csv"
    assert main(["class", "export", started.code, "--out", str(out)]) == 0
    assert "prediction,Ana,perks,2" in out.read_text()
    assert main(["class", "end", started.code]) == 0
    assert main(["class", "end", started.code]) == 1
    assert "No class session has the code" in capsys.readouterr().err
    assert main(["class", "purge", "--older-than", "0"]) == 0
    assert main(["class", "list"]) == 0
    assert "0 session(s)" in capsys.readouterr().out
