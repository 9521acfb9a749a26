"""Swedish and the product's own name everywhere a person looks (issue 22, §3):
the pages to choose a password, the 403 and CSRF pages, the superuser's start
page, the admin's wording, the e-mail with the link, and `make run`'s demo."""

import io
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.test import Client

from promises.roles import COORDINATOR
from promises.tests.factories import login_verified, make_user
from staff.tests.test_swedish_admin import english_in, visible_text

pytestmark = pytest.mark.django_db

NEW_MUNICIPALITY = "/admin/promises/municipality/add/"
PASSWORD = "ett-eget-långt-lösenord"


def welcome_link(client, superuser) -> str:
    """ "Ny kommun" with one coordinator: the path of the link in her e-mail."""
    login_verified(client, superuser)
    client.post(
        NEW_MUNICIPALITY,
        {
            "name": "Botkyrka",
            "districts": "Alby\nTumba",
            "police_area": "",
            "new_police_area": "Lokalpolisområde Botkyrka",
            "coordinators": "Anna Andersson, anna.andersson@botkyrka.se",
            "liaisons": "",
        },
    )
    client.logout()
    [message] = mail.outbox
    return re.search(r"http://testserver(/konto/losenord/\S+/)", message.body)[1]


def password_pages(client, superuser) -> list[str]:
    link = welcome_link(client, superuser)
    choose = client.get(link, follow=True).redirect_chain[-1][0]
    return [
        "/admin/login/",
        "/admin/password_reset/",
        "/admin/password_reset/done/",
        choose,
        "/konto/losenord/klart/",
        "/konto/losenord/MQ/fel-nyckel/",  # a link that does not work
    ]


# The product's name and plain Swedish on every page of the admin's look


def test_the_pages_to_choose_a_password_are_medborgarloftes_in_swedish(
    client, superuser
):
    for url in password_pages(client, superuser):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        texts = visible_text(response)
        assert "Medborgarlöfte – administration" in texts, url
        assert re.search(r"<title>[^<]*\| Medborgarlöfte</title>", html), url
        assert "Django" not in html.replace("django", ""), url
        assert not [text for text in texts if "ollställ" in text], (url, texts)
        assert english_in(response) == [], url


def test_the_page_to_choose_a_password_says_what_it_is(client, superuser):
    link = welcome_link(client, superuser)
    response = client.get(link, follow=True)
    texts = visible_text(response)
    assert "Välj ett lösenord" in texts
    assert "Spara lösenordet" in texts
    broken = visible_text(client.get("/konto/losenord/MQ/fel-nyckel/"))
    assert "Länken fungerar inte" in broken


# After choosing a password: logged in, then the second factor


def choose_password(client, superuser):
    link = welcome_link(client, superuser)
    choose = client.get(link, follow=True).redirect_chain[-1][0]
    return client.post(
        choose, {"new_password1": PASSWORD, "new_password2": PASSWORD}, follow=True
    )


@pytest.mark.parametrize("require_2fa", [True, False])
def test_after_choosing_a_password_the_user_is_logged_in(
    client, superuser, settings, require_2fa
):
    settings.REQUIRE_2FA = require_2fa
    response = choose_password(client, superuser)
    anna = get_user_model().objects.get(email="anna.andersson@botkyrka.se")
    assert anna.check_password(PASSWORD)
    assert int(client.session["_auth_user_id"]) == anna.pk
    landed = response.redirect_chain[-1][0]
    if require_2fa:
        # As every login: the second factor first, where she adds her app.
        assert landed.startswith("/admin/tvastegsverifiering/")
        assert 'id="two-factor-secret"' in response.content.decode()
    else:
        assert landed == "/admin/"
        assert "Ditt lösenord är sparat och du är inloggad." in visible_text(response)


# 403 and a refused form: the site's own pages


def test_a_forbidden_page_is_the_sites_own_in_swedish(client, haninge):
    login_verified(client, make_user("samordnare", COORDINATOR, [haninge]))
    response = client.get(NEW_MUNICIPALITY)  # superusers only
    assert response.status_code == 403
    html = response.content.decode()
    assert '<meta name="viewport" content="width=device-width' in html
    assert '<html lang="sv">' in html
    assert "Du har inte behörighet" in visible_text(response)
    assert '<a href="/">Till startsidan</a>' in html
    assert '<a href="/admin/">Till administrationens startsida</a>' in html
    assert "403 Forbidden" not in html


def test_a_form_without_its_csrf_token_gets_the_sites_own_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert '<meta name="viewport" content="width=device-width' in html
    assert "Formuläret kunde inte skickas" in visible_text(response)
    assert '<a href="/">Till startsidan</a>' in html
    assert "CSRF" not in html and "Forbidden" not in html


# The superuser's start page and the admin's wording


def test_the_superusers_start_page_has_no_english_section_names(admin_client):
    response = admin_client.get("/admin/")
    texts = visible_text(response)
    for english in ["Access attempts", "Static devices", "TOTP devices", "Axes"]:
        assert english not in texts
    for swedish in ["Inloggningsspärr", "Inloggningsförsök", "Autentiseringsappar"]:
        assert swedish in texts
    assert "Reservkodslistor" in texts
    assert english_in(response) == []


@pytest.mark.parametrize(
    "url",
    ["/admin/axes/accessattempt/", "/admin/otp_totp/totpdevice/", "/admin/"],
)
def test_the_admins_names_are_swedish_on_the_superusers_pages(admin_client, url):
    html = admin_client.get(url).content.decode()
    assert not re.search(r"(?i)access attempt|totp device|static device", html)


def test_the_start_page_says_dina_senaste_andringar(admin_client):
    texts = visible_text(admin_client.get("/admin/"))
    assert "Dina senaste ändringar" in texts
    assert not [text for text in texts if "Senaste händelser" in text]


def test_the_button_under_an_inline_names_the_model_in_lower_case(
    client, coordinator_haninge, promise_haninge
):
    login_verified(client, coordinator_haninge)
    html = client.get("/admin/promises/activity/add/?kind=inventory").content.decode()
    texts = [
        json.loads(data.replace("&quot;", '"'))["options"]["addText"]
        for data in re.findall(r'data-inline-formset="([^"]+)"', html)
    ]
    assert "Lägg till ytterligare iakttagelse" in texts
    assert not [text for text in texts if re.search(r"ytterligare [A-ZÅÄÖ]", text)]


# The e-mail with the link, as the console of `make run` prints it


def test_the_link_in_the_e_mail_is_whole_on_the_console(client, superuser):
    link = welcome_link(client, superuser)
    [message] = mail.outbox
    stream = io.StringIO()
    ConsoleBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert "Content-Transfer-Encoding: 8bit" in printed
    assert "quoted-printable" not in printed
    # The link on one line, as it is: no "=\n" in the middle, no "=3D".
    assert any(f"http://testserver{link}" in line for line in printed.splitlines())
    assert "Kommunsamordnare för Botkyrka" in printed  # UTF-8, not f=C3=B6r


# `make run`: the pages a resident would see


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.slow  # a server of its own
def test_make_runs_demo_shows_the_sites_own_404(tmp_path):
    """The server as `make run` starts it (make -n prints its command), on an
    empty database: a wrong address is the site's Swedish 404, not Django's
    technical page; the static files are served."""
    base = Path(settings.BASE_DIR)
    port = free_port()
    commands = subprocess.run(
        ["make", "-n", "run", f"PORT={port}"],
        cwd=base,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    [runserver] = [
        line for line in commands.splitlines() if "manage.py runserver" in line
    ]
    database = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": database, "HOME": str(tmp_path)}
    subprocess.run(
        f"{runserver.split('.venv/bin/python')[0]} .venv/bin/python manage.py "
        "migrate --noinput",
        shell=True,
        cwd=base,
        env=env,
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(
        runserver.replace("runserver", "runserver --noreload"),
        shell=True,
        cwd=base,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        origin = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                status, _body = get(f"{origin}/healthz")
                break
            except OSError:
                time.sleep(0.2)
        status, body = get(f"{origin}/finns-inte/")
        assert status == 404
        assert "Sidan finns inte" in body
        assert "Django" not in body and "URLconf" not in body
        status, css = get(f"{origin}/static/css/site.css")
        assert status == 200 and ":root" in css
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/axes/accessattempt/",
        "/admin/axes/accesslog/",
        "/admin/axes/accessfailurelog/",
        "/admin/otp_totp/totpdevice/",
        "/admin/otp_static/staticdevice/",
    ],
)
def test_the_superusers_lists_of_logins_and_devices_are_swedish(admin_client, url):
    client = admin_client
    client.get("/admin/")  # a login in the log
    texts = " ".join(visible_text(client.get(url)))
    for english in [
        "Attempt Time",
        "Logout Time",
        "User Agent",
        "IP Address",
        "Username",
        "Locked Out",
        "created at",
        "last used at",
        "confirmed",
        "Search by",
    ]:
        assert english not in texts, (url, english)
