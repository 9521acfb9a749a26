"""Every public page is valid HTML, by the Nu Html Checker (vnu.jar, the W3C validator).

The pages are found by crawling from "/" with Haninge's demo data loaded, and all
of them are checked in one run of vnu.jar (one JVM start). vnu.jar comes from npm
(package.json, `npm ci --ignore-scripts`, which `make test` runs) and needs Java 11+
(Debian's default-jre-headless, which .ci/run installs). Without either the test
fails: it never skips.
"""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from public.tests.crawl import crawl

VNU_JAR = Path(settings.BASE_DIR) / "node_modules/vnu-jar/build/dist/vnu.jar"

# Database tests, so that pytest-django runs them with the other database tests,
# before any transactional (live_server) test has flushed the migrated data.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo_pages(django_db_setup, django_db_blocker):
    """The crawled pages, with the demo data loaded once and rolled back after.

    Two activities a page, so that the demo's lists come in pages and the page
    links are checked too."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        pytest.MonkeyPatch.context() as monkeypatch,
    ):
        monkeypatch.setattr("public.views.ACTIVITIES_PER_PAGE", 2)
        call_command("load_haninge", "--demo", verbosity=0)
        pages = crawl(Client())
        assert any(b'class="pagination"' in r.content for r in pages.values())
        yield pages
        transaction.set_rollback(True)


def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "Java is not installed, and the Nu Html Checker needs it. "
            "Install Java 11 or newer, e.g. `apt-get install default-jre-headless` "
            "(.ci/run does this in CI).",
            pytrace=False,
        )
    if not VNU_JAR.is_file():
        pytest.fail(
            f"{VNU_JAR.relative_to(settings.BASE_DIR)} is missing. Run `make test` "
            "(it runs `npm ci --ignore-scripts`), or `npm ci --ignore-scripts` here.",
            pytrace=False,
        )
    return [java, "-Xss8m", "-jar", str(VNU_JAR)]


def file_name(url: str, number: int) -> str:
    slug = unquote(urlsplit(url).path).strip("/").replace("/", "_") or "start"
    return f"{number:03d}-{slug[:80]}.html"


def test_every_link_from_the_start_page_works(demo_pages):
    assert "/" in demo_pages, "the start page is not an HTML page"
    assert not demo_pages.truncated, "the crawl stopped at its page limit"
    if demo_pages.broken:
        pytest.fail(
            "\n".join(
                ["Links that do not work:"]
                + [
                    f"  {url}: status {status}, linked from {origin}"
                    for url, (status, origin) in demo_pages.broken.items()
                ]
            ),
            pytrace=False,
        )


def test_every_public_page_is_valid_html(demo_pages, tmp_path):
    command = vnu_command()
    files = {}
    for number, (url, response) in enumerate(demo_pages.items()):
        path = tmp_path / file_name(url, number)
        path.write_bytes(response.content)
        files[path.name] = url
    result = subprocess.run(
        [*command, "--errors-only", "--format", "json", "--stdout", *sorted(files)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(
            f"vnu.jar did not answer in JSON (exit {result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    report = [f"{len(errors)} HTML errors in {len(files)} pages (Nu Html Checker):"]
    for message in errors:
        where = message.get("url", "?")
        url = files.get(where.rsplit("/", 1)[-1], where)
        line = message.get("lastLine", "?")
        column = message.get("firstColumn", message.get("lastColumn", "?"))
        report.append(f"\n  {url}, line {line}, column {column}:")
        report.append(f"    {message.get('message', '').strip()}")
        if message.get("extract"):
            report.append(f"    {message['extract'].strip()!r}")
    if errors:
        pytest.fail("\n".join(report), pytrace=False)
    assert result.returncode == 0, f"vnu.jar failed:\n{result.stderr}"
