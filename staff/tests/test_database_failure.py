"""When the database goes away, /healthz answers 503; when it returns, the app recovers.

The real app runs under gunicorn (gunicorn.conf.py, DEBUG off, persistent
connections with health checks as in production) against PostgreSQL reached
through a TCP proxy that the test runs in a thread. Stopping the proxy and cutting
every forwarded connection is "the database goes away"; starting it again on the
same port is "the database returns". The same server process must recover
without a restart.
"""

import contextlib
import os
import socket
import threading
import time
import urllib.error
import urllib.request
from types import SimpleNamespace

import pytest

from bench._pages import free_port, gunicorn_env, start_gunicorn, stop_gunicorn
from staff.tests.postgres import (
    DEFAULT_CACHE_URL,
    create_database,
    drop_database,
    manage,
    requires_postgres,
)

# The app runs in subprocesses, on the machine's clock.
pytestmark = [requires_postgres, pytest.mark.any_day, pytest.mark.slow]

CLIENT_TIMEOUT = 15  # seconds: a request that takes longer counts as a hang


class TcpProxy:
    """Forwards 127.0.0.1:port to the PostgreSQL server until stopped."""

    def __init__(self, port: int, upstream=("127.0.0.1", 5432)):
        self.port, self.upstream = port, upstream
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.listener = None

    def start(self, silent: bool = False) -> None:
        """Listen again; silent: accept connections but never answer (a hung server)."""
        self.silent = silent
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.1)
        self.running = True
        self.acceptor = threading.Thread(
            target=self._accept, args=(self.listener,), daemon=True
        )
        self.acceptor.start()

    def stop(self) -> None:
        """Refuse new connections and cut every forwarded one."""
        self.running = False
        self.acceptor.join()  # accept() gives up within 0.1 s; the port is free after
        self.listener.close()
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while self.running:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self.lock:
                self.sockets.append(client)
            if self.silent:
                continue
            server = socket.create_connection(self.upstream)
            with self.lock:
                self.sockets.append(server)
            for source, target in [(client, server), (server, client)]:
                threading.Thread(
                    target=self._pump, args=(source, target), daemon=True
                ).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
            target.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def get(base: str, path: str, timeout=CLIENT_TIMEOUT) -> tuple[int, str, float]:
    """Status, body and seconds of a GET; a timeout fails the test as a hang."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(base + path, timeout=timeout) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    except TimeoutError:
        pytest.fail(f"GET {path} hung for more than {timeout} s")
    return status, body.decode(), time.monotonic() - started


@pytest.fixture(scope="module")
def database():
    """A new, migrated database for the tests of this module; dropped after them."""
    name = f"mbl_dbfail_{os.getpid()}"
    try:
        manage(create_database(name), "migrate", "--noinput", "-v0")
        yield name
    finally:
        drop_database(name)


@pytest.fixture
def app(database, tmp_path):
    """gunicorn (one sync worker) on the database, through a running proxy."""
    proxy = TcpProxy(free_port())
    proxy.start()
    port = free_port()
    env = gunicorn_env(
        f"postgres://postgres@127.0.0.1:{proxy.port}/{database}",
        port,
        CONN_MAX_AGE="60",
        # The default cache, in the database: it goes away with it (the test
        # suite's own CACHE_URL, locmem, would serve the cached pages).
        CACHE_URL=DEFAULT_CACHE_URL,
        # A worker stuck connecting does not delay the shutdown by 30 s.
        GUNICORN_CMD_ARGS="--graceful-timeout 1",
    )
    log = tmp_path / "gunicorn.log"
    server = start_gunicorn(env, log)
    yield SimpleNamespace(
        base=f"http://127.0.0.1:{port}", proxy=proxy, server=server, log=log
    )
    stop_gunicorn(server)
    proxy.stop()


def wait_for_healthz_200(base: str, seconds: float = 5) -> list[int]:
    """The statuses of /healthz, asked every 0.2 s until 200 or seconds have passed."""
    statuses = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        statuses.append(get(base, "/healthz")[0])
        if statuses[-1] == 200:
            break
        time.sleep(0.2)
    return statuses


def assert_recovered_without_restart(app) -> None:
    assert app.server.poll() is None
    # The one worker booted once: it was never killed and replaced.
    assert app.log.read_text().count("Booting worker") == 1, app.log.read_text()


def test_healthz_answers_503_while_the_database_is_away_and_recovers(app):
    base = app.base
    assert get(base, "/healthz")[:2] == (200, "ok")
    status, body, _ = get(base, "/")
    assert status == 200
    assert "Inga medborgarlöften är publicerade ännu." in body

    app.proxy.stop()  # the database goes away

    # At once, not after a timeout (bounds loose enough for a loaded machine).
    status, body, seconds = get(base, "/healthz")
    assert (status, body) == (503, "unavailable")
    assert seconds < 15
    # The public pages (read through the cache, in the database too): 503 and
    # the Swedish page saying it is temporary, at once, without a traceback.
    for path in ["/", "/tillganglighet/"]:
        status, body, seconds = get(base, path)
        assert status == 503
        assert "Tillfälligt otillgänglig" in body
        assert "Traceback" not in body and "Error" not in body
        assert seconds < 15
    with pytest.raises(urllib.error.HTTPError) as unavailable:
        urllib.request.urlopen(base + "/", timeout=CLIENT_TIMEOUT)
    assert unavailable.value.headers["Retry-After"] == "30"
    assert get(base, "/healthz")[0] == 503

    app.proxy.start()  # the database returns, on the same port

    statuses = wait_for_healthz_200(base)
    assert statuses[-1] == 200, statuses
    assert set(statuses) <= {200, 503}, statuses
    status, body, _ = get(base, "/")
    assert status == 200
    assert "Inga medborgarlöften är publicerade ännu." in body
    assert_recovered_without_restart(app)


def test_healthz_answers_503_when_the_database_accepts_but_never_answers(app):
    assert get(app.base, "/healthz")[0] == 200

    app.proxy.stop()
    app.proxy.start(silent=True)  # a hung server: connections open, no answer

    # connect_timeout (5 s) answers, long before gunicorn's 30 s would.
    status, _, seconds = get(app.base, "/healthz", timeout=25)
    assert status == 503
    assert seconds < 20

    app.proxy.stop()
    app.proxy.start()

    assert wait_for_healthz_200(app.base)[-1] == 200
    assert_recovered_without_restart(app)
