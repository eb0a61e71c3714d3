"""The preview on the network: where it listens (127.0.0.1 and ::1 by default), which Host names it answers to, how
it takes many clients at once, clients that leave mid-response and malformed queries. Through a real `sitegen
serve` where the network is what is tested; in this process (`bind`) where a fault is simulated."""

from __future__ import annotations

import errno
import html
import http.client
import os
import re
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

import sitegen.preview.model
import sitegen.preview.tabs
from sitegen.build.run import BuildOptions
from sitegen.preview.model import Preview
from sitegen.preview.server import Listener, LiveServer, bind

from .helpers import Server, connect, wait_until


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


def request(url: str, path: str = "/") -> tuple[int, bytes]:
    """GET `path` from the server at `url`: (status, body)."""
    connection = connect(url)
    try:
        connection.request("GET", path)
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
    """Serve in a thread until the block ends; then stop and wait for every request's thread to end (so whatever a
    request printed is printed by then)."""
    lock = threading.Lock()
    running: list[object] = []

    def counted(real: Callable[[object, object], None]) -> Callable[[object, object], None]:
        def process(request: object, client_address: object) -> None:
            with lock:
                running.append(request)
            try:
                real(request, client_address)
            finally:
                with lock:
                    running.remove(request)
        return process

    for listener in server.listeners:  # socketserver runs each request in a thread of this method
        listener.process_request_thread = counted(listener.process_request_thread)  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.listeners[0].shutdown()
        thread.join(10)
        server.close()
        assert wait_until(lambda: not running), "a request's thread is still running"


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


# --- Host names: only its own, against DNS rebinding --------------------------------------------------------------

def ask(server: Server, path: str, host: str) -> tuple[int, str, bytes]:
    """GET `path` with the Host header `host` (as a page on another domain, rebound to 127.0.0.1, sends it):
    (status, content type, body)."""
    connection = connect(server.url)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read(1_000_000)
    finally:
        connection.close()


KINDS_OF_URL = {
    "home page": "/", "a draft's page": "/posts/draft/", "a redirect": "/posts/networking", "feed": "/atom.xml",
    "JSON feed": "/feed.json", "stylesheet": "/style.css", "a bundle's file": "/posts/bundle-post/chart.svg",
    "missing page": "/no/such/page/", "live script": "/__sitegen/live.js", "events": "/__sitegen/events?path=/",
}


@pytest.mark.parametrize("path", KINDS_OF_URL.values(), ids=KINDS_OF_URL.keys())
@pytest.mark.parametrize("host", ["evil.example:{port}", "evil.example", "localhost.evil.example:{port}",
                                  "127.0.0.1.nip.io:{port}", "localhost:{other}", "[::2]:{other}"])
def test_a_request_naming_another_host_gets_nothing_of_the_site(served_basic: Server, path: str, host: str) -> None:
    port = urlsplit(served_basic.url).port
    assert port is not None
    status, kind, body = ask(served_basic, path, host.format(port=port, other=port + 1))
    assert (status, kind) == (403, "text/plain; charset=utf-8")
    assert body == (f"this preview answers only to localhost, 127.0.0.1, [::1] or an IP address (port {port}), to keep "
                    f"other web sites from reading it: open http://127.0.0.1:{port}/\n").encode()


def test_a_drafts_page_is_served_to_its_own_names_only(served_basic: Server) -> None:
    port = urlsplit(served_basic.url).port
    for host in ("localhost", f"localhost:{port}", f"127.0.0.1:{port}", "127.0.0.1", f"[::1]:{port}",
                 f"LocalHost:{port}"):
        status, _, body = ask(served_basic, "/posts/draft/", host)
        assert status == 200 and "لم تكتمل بعد." in body.decode(), host
    status, _, body = ask(served_basic, "/posts/draft/", f"attacker.example:{port}")
    assert status == 403 and "لم تكتمل".encode() not in body


def raw_status(server: Server, request: bytes) -> int:
    """The status of the answer to a request written byte for byte (read with http.client's parser)."""
    parts = urlsplit(server.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(request)
        response = http.client.HTTPResponse(sock)
        response.begin()
        response.read()
        return response.status


def test_a_request_without_a_host_header_is_served_only_over_http_1_0(served_basic: Server) -> None:
    """Browsers always send Host, so a request without one is no DNS rebinding: HTTP/1.0 may leave it out (tools on
    this machine); HTTP/1.1 requires it. Two Host headers are refused."""
    assert raw_status(served_basic, b"GET / HTTP/1.0\r\n\r\n") == 200
    assert raw_status(served_basic, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n") == 400
    assert raw_status(served_basic, b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n"
                                    b"Connection: close\r\n\r\n") == 400


def test_the_host_given_with_host_and_any_ip_address_are_its_names(site_copy) -> None:  # type: ignore[no-untyped-def]
    running = Server(site_copy("basic"), "--host", "127.0.0.2")  # a loopback address beside 127.0.0.1 (Linux)
    try:
        port = urlsplit(running.url).port
        assert running.url == f"http://127.0.0.2:{port}/"
        assert ask(running, "/", f"127.0.0.2:{port}")[0] == 200
        assert ask(running, "/", f"localhost:{port}")[0] == 200
        assert ask(running, "/", f"127.0.0.3:{port}")[0] == 200  # an address: no domain name to rebind
        assert ask(running, "/", f"[::2]:{port}")[0] == 200
        assert ask(running, "/", f"other.example:{port}")[0] == 403
    finally:
        running.stop()


# --- many clients, clients that leave, malformed queries, bugs ----------------------------------------------------

def test_two_hundred_parallel_requests_are_all_answered(served_basic: Server) -> None:
    """All at once, as a page with many images or a load test asks: each is answered within the client's ordinary
    timeout (with socketserver's listen backlog of 5, a few dozen waited past it for their connection)."""
    start = threading.Barrier(200)
    statuses: list[int | str] = []

    def one() -> None:
        start.wait()
        try:
            statuses.append(request(served_basic.url, "/")[0])
        except OSError as exc:
            statuses.append(repr(exc))

    threads = [threading.Thread(target=one) for _ in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 200


def answering(url: str, path: str) -> tuple[socket.socket, http.client.HTTPResponse]:
    """A client that asked for `path` and read the head of the answer: the server is sending the rest."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
    response = http.client.HTTPResponse(sock)
    response.begin()
    assert response.status == 200
    return sock, response


def drop(sock: socket.socket, response: http.client.HTTPResponse) -> None:
    """Leave as a client that closes its tab does: a reset, whatever is still unread."""
    response.close()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def test_a_client_that_leaves_mid_response_is_not_news(preview: Preview, capsys: pytest.CaptureFixture[str]) -> None:
    static = preview.root / "static"
    static.mkdir()
    (static / "big.bin").write_bytes(bytes(32 << 20))  # far more than the sockets' buffers hold
    assert preview.rebuild({static / "big.bin"}).generation is not None
    with serving(bind("127.0.0.1", 0, preview, navigate=False)) as server:
        drop(*answering(server.urls()[0], "/big.bin"))
        sock, stream = answering(server.urls()[0], "/__sitegen/events?path=/")
        assert stream.fp.readline() == b"retry: 500\n"
        drop(sock, stream)
        tabs = server.served.tabs

        def gone() -> bool:  # a message to write tells the server the tab left
            for client in list(tabs.clients):
                client.messages.put({"type": "ok"})
            return not tabs.clients

        assert wait_until(gone)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("query", ["generation=" + "9" * 5000, "generation=%C2%B2", "generation=1&digest=%C3%BC"],
                         ids=["5000 digits", "superscript two", "a digest that is not one"])
def test_a_malformed_events_query_is_taken_as_absent(query: str, preview: Preview,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    with serving(bind("127.0.0.1", 0, preview, navigate=False)) as server:
        connection = connect(server.urls()[0])
        connection.request("GET", f"/__sitegen/events?path=/&{query}")
        response = connection.getresponse()
        assert (response.status, response.getheader("Content-Type")) == (200, "text/event-stream")
        assert response.fp.readline() == b"retry: 500\n"
        (client,) = server.served.tabs.clients
        generation = preview.current
        assert generation is not None
        assert client.digest == generation.digest("index.html")  # what a tab that sent nothing is taken to show
        connection.close()
    assert capsys.readouterr().err == ""


def test_a_bug_while_answering_is_printed_as_an_internal_error(preview: Preview, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A bug of ours while rendering a page: the page and the terminal show it in the CLI's words; elsewhere: the
    terminal does."""
    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(sitegen.preview.model, "render_page", boom)
    with serving(bind("127.0.0.1", 0, preview, navigate=False)) as server:
        status, body = request(server.urls()[0], "/posts/networking/")
        monkeypatch.setattr(sitegen.preview.tabs.Tabs, "connect", boom)
        with pytest.raises(http.client.RemoteDisconnected):
            request(server.urls()[0], "/__sitegen/events?path=/")
    printed = capsys.readouterr().err
    assert "Traceback" not in printed
    rendering, elsewhere = re.split(r"(?m)^(?=sitegen: internal error while )", printed)[1:]
    assert status == 500
    assert rendering.startswith("sitegen: internal error while rendering content/posts/2025-01-10-networking.md: "
                                "RuntimeError: boom (at sitegen/")
    assert rendering.endswith("\nRun again with --debug (or SITEGEN_DEBUG=1) to see the Python traceback.\n")
    assert html.escape(rendering.rstrip("\n")) in body.decode()
    assert elsewhere.startswith("sitegen: internal error while answering a request: RuntimeError: boom (at sitegen/")
    assert elsewhere.endswith("\nRun again with --debug (or SITEGEN_DEBUG=1) to see the Python traceback.\n")
