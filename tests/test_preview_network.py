"""The preview on the network: where it listens (127.0.0.1 and ::1 by default), which Host names it answers to, how
it takes many clients at once, clients that leave mid-response and malformed queries. Through a real `sitegen
serve` where the network is what is tested; in this process (`bind`) where a fault is simulated."""

from __future__ import annotations

import errno
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

from sitegen.build.run import BuildOptions
from sitegen.preview.model import Preview
from sitegen.preview.server import Listener, LiveServer, bind

from .helpers import Server, connect


def has_ipv6_loopback() -> bool:
    """Whether this machine can listen on ::1."""
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


needs_ipv6 = pytest.mark.skipif(not has_ipv6_loopback() and not os.environ.get("CI"),
                                reason="this machine has no IPv6 loopback (::1); under CI the test runs, and fails")


def request(url: str, path: str = "/", headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """GET `path` from the server at `url`: (status, body)."""
    connection = connect(url)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture
def preview(site_copy) -> Preview:  # type: ignore[no-untyped-def]
    """The preview of a copy of tests/sites/basic, built, for a server in this process."""
    site = site_copy("basic")
    built = Preview(BuildOptions(site, site / "public", drafts=True, future=True, use_cache=False))
    assert built.rebuild().generation is not None
    return built


@contextmanager
def serving(server: LiveServer) -> Iterator[LiveServer]:
    """Serve in a thread until the block ends; then stop and close, waiting for every request's thread to end (so
    whatever a request printed is printed by then)."""
    for listener in server.listeners:
        listener.daemon_threads = False  # server_close() joins the requests' threads
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.listeners[0].shutdown()
        thread.join(10)
        server.close()


# --- where it listens ---------------------------------------------------------------------------------------------

@needs_ipv6
def test_the_default_preview_answers_on_ipv6_loopback_on_the_same_port(served_basic: Server) -> None:
    port = urlsplit(served_basic.url).port
    status, body = request(f"http://[::1]:{port}/")
    assert status == 200 and "<html" in body.decode()


@needs_ipv6
def test_host_ipv6_loopback_alone(site_copy) -> None:  # type: ignore[no-untyped-def]
    running = Server(site_copy("basic"), "--host", "::1")
    try:
        assert urlsplit(running.url).hostname == "::1"
        status, body = request(running.url)
    finally:
        running.stop()
    assert status == 200 and "<html" in body.decode()


def test_without_ipv6_the_preview_listens_on_127_0_0_1_alone(preview: Preview,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    real = Listener.server_bind

    def no_ipv6(self: Listener) -> None:
        if self.address_family == socket.AF_INET6:
            raise OSError(errno.EADDRNOTAVAIL, os.strerror(errno.EADDRNOTAVAIL))
        real(self)

    monkeypatch.setattr(Listener, "server_bind", no_ipv6)
    with serving(bind("127.0.0.1", 0, preview, navigate=False)) as server:
        assert server.urls() == (f"http://127.0.0.1:{server.port}/",)
        assert request(server.urls()[0])[0] == 200
