"""Load test: concurrent readers of the public pages while writers log activities.

    DATABASE_URL=... .venv/bin/python bench/load_test.py [--prepare] [--seconds 60]
        [--readers 200] [--workers 2] [--threads 8] [--write-in haninge]
        [--read-also nynashamn]

Starts gunicorn (gunicorn.conf.py, DEBUG off, gthread workers) on a free port of
127.0.0.1 against DATABASE_URL (SQLite db.sqlite3 when unset) with Haninge's demo
data (--prepare: `migrate` and `load_haninge --demo` first). Then, for --seconds:

- --readers threads, each with its own keep-alive connection, fetch the public
  pages in turn (/healthz, overview, commitment, district, quarterly report,
  activity, open-data CSV) of every municipality of --write-in and --read-also, as
  fast as they are answered;
- one writer per municipality of --write-in logs a safety dialogue through the
  admin every --interval seconds: GET /admin/promises/activity/add/, POST the form
  with its CSRF token in a staff session (a coordinator of that municipality only,
  `bench-writer-<slug>`, with a confirmed TOTP device when django-otp is
  installed), counting each write answered with a 302.

Afterwards it checks in the database that exactly the confirmed activities exist,
each once (no lost writes), and that each municipality's public open-data CSV lists
its own. Errors are any response other than 2xx/3xx, a timeout or a connection
error. The pages' `X-Cache` header gives the cache hit ratio of the municipalities
written to and of the untouched ones (--read-also), which must be at least
--min-hit-ratio. Prints requests, req/s, latency percentiles, errors, writes and
hit ratios; exits 1 on any error, lost write or a low hit ratio. Use a database of
its own: it adds users and activities titled "Belastningstest".
"""

import argparse
import http.client
import logging
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from _pages import (
    PROJECT,
    free_port,
    gunicorn_env,
    public_pages,
    setup_django,
    start_gunicorn,
    stop_gunicorn,
)

HOST = "127.0.0.1"
WRITER = "bench-writer"
TITLE = "Belastningstest"


@dataclass
class Tally:
    """What one client thread saw."""

    latencies: list[tuple[str, float]] = field(default_factory=list)
    # (path, "hit" or "miss") of the pages that say whether they came from the cache
    cache: list[tuple[str, str]] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    written: list[str] = field(default_factory=list)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=8, help="threads per worker")
    parser.add_argument("--interval", type=float, default=0.1, help="between writes")
    parser.add_argument("--timeout", type=float, default=30, help="per request")
    parser.add_argument(
        "--write-in", default="haninge", help="slugs, comma-separated: a writer each"
    )
    parser.add_argument(
        "--read-also", default="", help="slugs of untouched municipalities to read"
    )
    parser.add_argument("--min-hit-ratio", type=float, default=0.99)
    parser.add_argument(
        "--prepare", action="store_true", help="migrate and load the demo data first"
    )
    parser.add_argument("--log", type=Path, help="gunicorn's output (default: temp)")
    args = parser.parse_args(argv)

    database_url = os.environ.get("DATABASE_URL", f"sqlite:///{PROJECT / 'db.sqlite3'}")
    port = free_port()
    env = gunicorn_env(database_url, port, args.workers, args.threads)
    if args.prepare:
        for command in (["migrate", "--noinput", "-v0"], ["load_haninge", "--demo"]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=PROJECT,
                env={**env, "DEBUG": "true"},
                check=True,
                stdout=subprocess.DEVNULL,
            )
    os.environ.update(env)
    setup_django()
    written_to = [slug for slug in args.write_in.split(",") if slug]
    untouched = [slug for slug in args.read_also.split(",") if slug]
    pages = list(
        dict.fromkeys(
            path
            for slug in written_to + untouched
            for path in reader_pages(slug).values()
        )
    )
    run_id = uuid.uuid4().hex[:8]
    writers = {f"{TITLE} {run_id} {slug}": writer_setup(slug) for slug in written_to}
    close_database_connections()

    log = args.log or Path(f"/tmp/load_test_gunicorn_{os.getpid()}.log")
    server = start_gunicorn(env, log)
    try:
        warm_up(port, pages, args.timeout)
        stop_at = time.monotonic() + args.seconds
        readers = [Tally() for _ in range(args.readers)]
        writes = {prefix: Tally() for prefix in writers}
        threads = [
            threading.Thread(
                target=read,
                args=(port, rotated(pages, i), tally, stop_at, args.timeout),
            )
            for i, tally in enumerate(readers)
        ]
        threads += [
            threading.Thread(
                target=write,
                args=(
                    port,
                    writer,
                    prefix,
                    writes[prefix],
                    stop_at,
                    args.timeout,
                    args.interval,
                ),
            )
            for prefix, writer in writers.items()
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        public_rows = {
            prefix: count_in_open_data(port, writer, prefix)
            for prefix, writer in writers.items()
        }
    finally:
        stop_gunicorn(server)

    found = {prefix: saved_titles(f"{prefix} ") for prefix in writers}
    outcome = Outcome(readers, writes, elapsed, found, public_rows, untouched)
    return report(args, database_url, outcome, log)


def reader_pages(municipality: str) -> dict[str, str]:
    """public_pages() plus an activity page and the activities open-data CSV."""
    from django.urls import reverse

    from promises.models import Activity, Promise

    pages = public_pages(municipality)
    promise = (
        Promise.objects.published()
        .filter(municipality__slug=municipality)
        .order_by("-year")
        .first()
    )
    activity = Activity.objects.public_in_detail().filter(promise=promise).first()
    if activity is not None:
        pages["activity"] = activity.get_absolute_url()
    pages["open-data csv"] = reverse(
        "public:open_data_csv",
        args=[municipality, promise.year, "aktiviteter"],
    )
    return pages


@dataclass
class Writer:
    cookies: dict[str, str]
    promise_id: int
    day: str
    csv_path: str


def writer_setup(municipality: str) -> Writer:
    """A coordinator's staff session, verified by a TOTP device if django-otp is on."""
    import datetime

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from promises.models import Municipality, Promise
    from promises.roles import COORDINATOR

    logging.getLogger("medborgarlofte.security").setLevel(logging.WARNING)
    place = Municipality.objects.get(slug=municipality)
    user, _ = get_user_model().objects.get_or_create(
        username=f"{WRITER}-{municipality}", defaults={"is_staff": True}
    )
    user.groups.add(Group.objects.get(name=COORDINATOR))
    place.staff.add(user)
    client = Client()
    client.force_login(user)
    session = client.session
    if "django_otp" in settings.INSTALLED_APPS:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    # Yesterday evening, in the promise that ran then (last year's, on 1 January).
    day = timezone.localdate() - datetime.timedelta(days=1)
    promise = Promise.objects.published().filter(municipality=place).covering(day).get()
    return Writer(
        cookies={settings.SESSION_COOKIE_NAME: session.session_key},
        promise_id=promise.pk,
        day=day.isoformat(),
        csv_path=reverse(
            "public:open_data_csv", args=[municipality, promise.year, "aktiviteter"]
        ),
    )


def close_database_connections() -> None:
    """Nothing of this process may hold the database (SQLite locks) during the run."""
    from django.db import connections

    connections.close_all()


def warm_up(port: int, pages: list[str], timeout: float) -> None:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    for path in pages:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"warm-up: {path} answered {response.status}")


def rotated(pages: list[str], start: int) -> list[str]:
    """The pages from the start-th on: the readers do not all ask for the same one."""
    start %= len(pages)
    return pages[start:] + pages[:start]


def read(port: int, pages: list[str], tally: Tally, stop_at: float, timeout: float):
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    while time.monotonic() < stop_at:
        for path in pages:
            started = time.monotonic()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                tally.errors[f"GET {path}: {type(error).__name__}"] += 1
                connection.close()  # reconnects on the next request
                continue
            tally.latencies.append((path, time.monotonic() - started))
            cached = response.getheader("X-Cache")
            if cached:
                tally.cache.append((path, cached))
            if response.status >= 400:
                tally.errors[f"GET {path}: {response.status}"] += 1
            if time.monotonic() >= stop_at:
                break
    connection.close()


ADD = "/admin/promises/activity/add/"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def write(
    port: int,
    writer: Writer,
    prefix: str,
    tally: Tally,
    stop_at: float,
    timeout: float,
    interval: float,
):
    """Log one activity every interval seconds as the admin's add form does."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    cookies = dict(writer.cookies)
    number = 0
    while time.monotonic() < stop_at:
        started = time.monotonic()
        number += 1
        write_one(connection, cookies, writer, f"{prefix} {number}", tally)
        tally.latencies.append((ADD, time.monotonic() - started))
        time.sleep(max(0.0, started + interval - time.monotonic()))
    connection.close()


def write_one(connection, cookies, writer: Writer, title: str, tally: Tally) -> None:
    """GET the add form, POST it; the title counts as written on a 302."""
    try:
        form = send(connection, cookies, "GET", ADD)
        if form.status != 200:
            tally.errors[f"GET {ADD}: {form.status}"] += 1
            return
        token = CSRF_INPUT.search(form.body).group(1)
        data = urlencode(activity_form(writer, title, token))
        saved = send(connection, cookies, "POST", ADD, data)
    except (OSError, http.client.HTTPException) as error:
        tally.errors[f"{ADD}: {type(error).__name__}"] += 1
        connection.close()  # reconnects on the next request
        return
    if saved.status == 302:
        tally.written.append(title)
    else:
        problem = re.search(r'class="errornote[^>]*>([^<]*)', saved.body)
        detail = problem.group(1).strip() if problem else ""
        # The form's first error, so that the figures say what was refused.
        field_error = re.search(r'class="errorlist[^>]*>\s*<li>([^<]*)', saved.body)
        if field_error:
            detail = f"{detail} ({field_error.group(1).strip()})"
        tally.errors[f"POST {ADD}: {saved.status} {detail}".strip()] += 1


@dataclass
class Answer:
    status: int
    body: str


def send(connection, cookies: dict[str, str], method: str, path: str, body=None):
    """One request with the session's cookies (Secure cookies over plain http: the
    client sends them itself); keeps the cookies the response sets."""
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    text = response.read().decode()
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return Answer(response.status, text)


def activity_form(writer: Writer, title: str, token: str) -> dict[str, str]:
    """The admin's add form, filled in as the coordinator would for a dialogue."""
    return {
        "csrfmiddlewaretoken": token,
        "promise": str(writer.promise_id),
        "kind": "dialogue",
        "status": "done",
        "starts_at_0": writer.day,
        "starts_at_1": "18:00",
        "ends_at_0": "",
        "ends_at_1": "",
        "place_type": "",
        "title": title,
        "summary": "Skriven av bench/load_test.py.",
        "publication_level": "",
        "participants": "12",
        "residents_met": "",
        "district_reason": "",
        "residents_raised": "",
        "not_friday_reason": "",
        "internal_notes": "",
    }


def count_in_open_data(port: int, writer: Writer, prefix: str) -> int:
    """Rows of this run's activities in the public CSV, read after the writes."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    connection.request("GET", writer.csv_path)
    body = connection.getresponse().read().decode("utf-8-sig")
    connection.close()
    return sum(f"{prefix} " in line for line in body.splitlines())


def saved_titles(prefix: str) -> list[str]:
    from promises.models import Activity

    return list(
        Activity.objects.filter(title__startswith=prefix).values_list(
            "title", flat=True
        )
    )


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


@dataclass
class Outcome:
    readers: list[Tally]
    writes: dict[str, Tally]  # by the writer's title prefix
    elapsed: float
    found: dict[str, list[str]]  # the titles in the database, by prefix
    public_rows: dict[str, int]  # the rows in the public CSV, by prefix
    untouched: list[str]  # the slugs nobody wrote to


def hit_ratios(readers: list[Tally], untouched: list[str]) -> dict[str, list[str]]:
    """The X-Cache answers of the pages written to and of the untouched ones."""
    answers = {"written to": [], "untouched": []}
    for tally in readers:
        for path, cached in tally.cache:
            group = "untouched" if path.split("/")[1] in untouched else "written to"
            answers[group].append(cached)
    return answers


def report(args, database_url, outcome: Outcome, log) -> int:
    by_path = defaultdict(list)
    for tally in outcome.readers:
        for path, seconds in tally.latencies:
            by_path[path].append(seconds)
    latencies = [seconds for values in by_path.values() for seconds in values]
    errors = Counter()
    for tally in [*outcome.readers, *outcome.writes.values()]:
        errors.update(tally.errors)
    elapsed, requests = outcome.elapsed, len(latencies)
    print(
        f"\nLoad test: {args.readers} readers and {len(outcome.writes)} writer(s) "
        f"({args.write_in}; untouched: {args.read_also or 'none'}) for {elapsed:.1f} "
        f"s; gunicorn {args.workers} workers × {args.threads} threads; database "
        f"{database_url.split('@')[-1]}"
    )
    print(f"reads:   {requests} requests, {requests / elapsed:.1f} req/s")
    print(
        "latency: p50 {:.0f} ms, p95 {:.0f} ms, p99 {:.0f} ms, max {:.0f} ms".format(
            *(1000 * percentile(latencies, p) for p in (50, 95, 99)),
            1000 * max(latencies, default=0),
        )
    )
    for path, values in by_path.items():
        print(
            f"  {len(values):>7} × p50 {1000 * percentile(values, 50):>5.0f} ms, "
            f"p99 {1000 * percentile(values, 99):>5.0f} ms  {path}"
        )
    failed = bool(errors)
    for prefix, tally in outcome.writes.items():
        written, found = tally.written, outcome.found[prefix]
        lost = sorted(set(written) - set(found))
        unconfirmed = sorted(set(found) - set(written))
        duplicates = len(found) - len(set(found))
        public_rows = outcome.public_rows[prefix]
        write_latencies = [seconds for _, seconds in tally.latencies]
        print(
            f"writes:  {len(written)} confirmed (302), {len(found)} found in the "
            f"database, {len(lost)} lost, {len(unconfirmed)} saved unconfirmed, "
            f"{duplicates} duplicated; {public_rows} in the public CSV; "
            f"{len(written) / elapsed:.1f}/s, p50 "
            f"{1000 * percentile(write_latencies, 50):.0f} ms a write (GET + POST)"
            f"  {prefix.rsplit(' ', 1)[-1]}"
        )
        failed |= bool(lost or unconfirmed or duplicates or not written)
        if public_rows != len(written):
            print("the public CSV does not list every write")
            failed = True
    for group, answers in hit_ratios(outcome.readers, outcome.untouched).items():
        if answers:
            ratio = answers.count("hit") / len(answers)
            print(f"cache:   {ratio:.2%} hits of {len(answers)} pages {group}")
            if group == "untouched" and ratio < args.min_hit_ratio:
                print(f"the untouched pages' hit ratio is under {args.min_hit_ratio}")
                failed = True
    print(f"errors:  {sum(errors.values())}")
    for what, count in errors.most_common():
        print(f"  {count:>6} × {what}")
    if errors:
        print(f"gunicorn's log: {log}")
    print("FAILED" if failed else "OK: zero errors, no lost writes")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
