"""Class load: N students join one session, predict and submit a law; how soon the teacher sees it.

Run with ``make class-load`` or ``.venv/bin/python scripts/class_load.py --students 30 --json``.
It starts the app as ``make run`` does on a fresh database (a new SQLite file,
or ``--database URL``), opens the teacher's page in Debian's Chromium and
starts a session there, then:

- ``--browsers`` students (default 3) in Chromium contexts of their own join
  on the Class page, open a lesson link and lock in a prediction, and submit
  a law through the page, as a class does;
- the other students are browserless: each joins, predicts and submits
  through the storage layer the app itself uses (``classroom.store``), as
  another app copy serving them would; like the app, each first runs its law
  on the session's seeds unless an identical law has been run already.

Students arrive at random over ``--spread`` seconds (a class submitting over a
minute), each choosing one of a few laws (so identical laws occur, as in a
class). Latency is from a law being stored (after its runs) to the teacher's page
showing it on its map ("A map of N laws", drawn after the law's runs); it
prints one JSON line: students, sent, stored (counted in the database),
errors, p50_s, p95_s, max_s, and the seconds the whole round took.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from browser import CHROMIUM_ARGS, app_server, chromium_path, wait_idle  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from classroom import policy, store  # noqa: E402
from scoring.presets import load_preset  # noqa: E402
from scoring.scenario import with_changes  # noqa: E402
from scoring.sharelink import encode  # noqa: E402
from ui.worker import finals_json  # noqa: E402

LAWS = (
    {"mechanisms.cameras": False},
    {"mechanisms.friends": False},
    {"mechanisms.perks": False, "mechanisms.penalties": False},
    {"mechanisms.blacklist": False},
    {"mechanisms.face_match_errors": False},
    {"mechanisms.appeals": True},
    {"mechanisms.cameras": False, "mechanisms.friends": False},
    {"mechanisms.data_minimisation": True},
)
SHOWN = re.compile(r"A map of (\d+) laws")


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 3)


def main() -> int:
    """Run one round; print its JSON line; exit 1 on any error or lost submission."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--browsers", type=int, default=3,
                        help="of the students, how many use a real Chromium page")
    parser.add_argument("--spread", type=float, default=60.0,
                        help="seconds over which the students arrive")
    parser.add_argument("--database", help="a database URL (default: a fresh SQLite file)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    url = args.database or f"sqlite:///{Path(tempfile.mkdtemp()) / 'class.sqlite3'}"
    env = {"DATABASE_URL": url} if args.database else {"CLASS_DB": url.split(":///", 1)[1]}
    browsers = min(args.browsers, args.students)
    sent: list[float] = []  # when each submission was stored, in order
    errors: list[str] = []
    lock = threading.Lock()

    with app_server(env=env) as base_url, sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        teacher = chromium.new_context(viewport={"width": 1920, "height": 1080}).new_page()
        teacher.goto(f"{base_url}/class")
        wait_idle(teacher)
        teacher.get_by_role("textbox", name="Title").fill("Load test")
        teacher.get_by_role("button", name="Start the session").click()
        teacher.wait_for_selector(".st-key-class-join-code", timeout=60_000)
        code = teacher.locator(".st-key-class-join-code").inner_text().strip()
        # The same store as the app's: open it here on the same database.
        import os
        os.environ.update(env)

        def browserless(number: int, start_at: float) -> None:
            time.sleep(max(0.0, start_at - time.monotonic()))
            try:
                joined = store.join(code, f"S{number}")
                store.predict(code, joined.member_key, "perks", rng.randrange(3))
                changes = rng.choice(LAWS)
                digest = store.digest_of(changes)
                if not store.has_result(code, digest):  # as the student's app copy does
                    law = policy.scenario_of(load_preset("baseline"), changes)
                    finals = [finals_json(s.model_dump_json())[1]["final"]
                              for s in policy.seeded(law)]
                    store.keep_result(code, digest,
                                      policy.measures_of(finals, law.population.size))
                store.submit_law(code, joined.member_key, f"Law of S{number}", "Because.",
                                 changes)
                with lock:
                    sent.append(time.monotonic())
            except Exception as exc:  # noqa: BLE001 - counted, not hidden
                with lock:
                    errors.append(f"S{number}: {exc}")

        def in_browser(number: int, start_at: float) -> None:
            # A Playwright of its own: its pages belong to this thread.
            with sync_playwright() as own:
                browser = own.chromium.launch(executable_path=chromium_path(),
                                              args=CHROMIUM_ARGS)
                try:
                    _student_page(browser.new_page(viewport={"width": 1366, "height": 768}),
                                  number, start_at)
                finally:
                    browser.close()

        def _student_page(page, number: int, start_at: float) -> None:
            time.sleep(max(0.0, start_at - time.monotonic()))
            try:
                page.goto(f"{base_url}/class?class={code}")
                wait_idle(page)
                page.get_by_role("textbox", name="Nickname (optional)").fill(f"B{number}")
                page.get_by_role("button", name="Join", exact=True).click()
                page.get_by_text("You are in this class session as").wait_for(timeout=60_000)
                member = re.search(r"member=([^&]+)", page.url).group(1)
                law = with_changes(load_preset("baseline"), rng.choice(LAWS))
                page.goto(f"{base_url}/class?class={code}&member={member}&s={encode(law)}")
                wait_idle(page)
                page.get_by_role("textbox", name="Title of your law").fill(f"Law of B{number}")
                page.get_by_role("textbox", name="Why, in one sentence").fill("Because.")
                page.get_by_role("button", name="Submit my law").click()
                page.get_by_text("Sent (law").wait_for(timeout=60_000)
                with lock:
                    sent.append(time.monotonic())
            except Exception as exc:  # noqa: BLE001 - counted, not hidden
                with lock:
                    errors.append(f"B{number}: {str(exc).splitlines()[0]}")

        began = time.monotonic()
        arrivals = sorted(began + rng.uniform(0, args.spread) for _ in range(args.students))
        workers = [threading.Thread(target=in_browser, args=(i, at))
                   for i, at in enumerate(arrivals[:browsers], start=1)]
        workers += [threading.Thread(target=browserless, args=(i, at))
                    for i, at in enumerate(arrivals[browsers:], start=browsers + 1)]
        for worker in workers:
            worker.start()
        shown_at: dict[int, float] = {}

        def watch_teacher() -> None:
            seen = 0
            while any(w.is_alive() for w in workers) or seen < len(sent):
                text = teacher.evaluate("document.body.innerText")
                found = SHOWN.search(text)
                count = int(found.group(1)) if found else 0
                now = time.monotonic()
                for n in range(seen + 1, count + 1):
                    shown_at[n] = now
                seen = max(seen, count)
                if now - began > args.spread + 180:
                    break
                teacher.wait_for_timeout(100)

        watch_teacher()  # the teacher's page, watched in this thread while students arrive
        for worker in workers:
            worker.join()
        chromium.close()
        total = time.monotonic() - began

    latencies = [shown_at[n] - at for n, at in enumerate(sorted(sent), start=1)
                 if n in shown_at]
    stored = len(store.snapshot(code).laws)
    result = {"students": args.students, "browsers": browsers, "sent": len(sent),
              "stored": stored, "shown": len(shown_at), "errors": len(errors),
              "p50_s": _percentile(latencies, 0.5), "p95_s": _percentile(latencies, 0.95),
              "max_s": _percentile(latencies, 1.0), "spread_s": args.spread,
              "seconds": round(total, 1),
              "database": "postgresql" if url.startswith("postgres") else "sqlite"}
    if errors and not args.json:
        print("\n".join(errors[:10]), file=sys.stderr)
    print(json.dumps(result))
    return 0 if not errors and stored == len(sent) else 1


if __name__ == "__main__":
    sys.exit(main())
