"""`sitegen serve`: the live preview over HTTP. Pages are rendered when asked for; open tabs learn of changes by
EventSource."""

from __future__ import annotations

import json
import mimetypes
import queue
import re
import socket
import sys
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..errors import InternalError, internal_error_report
from ..render.pages import TemplateFailure
from ..site.routes import SEARCH_FOLDER
from .hosts import ADDRESS_IN_USE, NO_IPV6, Address, host_names, listen_addresses, names_this_server
from .model import Generation, Preview, Rebuild, format_errors, page_digest, request_path
from .tabs import Tabs

LIVE_SCRIPT = (Path(__file__).parent / "live.js").read_bytes()
EVENTS = "/__sitegen/events"
SCRIPT = "/__sitegen/live.js"
_DIGEST = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True, slots=True)
class Served:
    """What the listeners of one preview share: the preview, its open tabs, the names it answers to, and whether it
    is closing."""

    preview: Preview
    tabs: Tabs
    names: tuple[str, ...]
    """The host names a request's Host header may give (see hosts.host_names)."""
    closing: threading.Event = field(default_factory=threading.Event)

    def report(self, error: InternalError) -> str:
        """Print an internal error met while answering a request, in the words the CLI prints one; its text."""
        text = internal_error_report(error, self.preview.root, debug=self.preview.debug)
        print(text, file=sys.stderr, flush=True)
        return text


class Listener(ThreadingHTTPServer):
    """One listening socket of the preview, on an IPv4 or an IPv6 address."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024
    """The listen backlog (the system may lower it: 4096 on Linux). With socketserver's 5, the connections beyond
    the first few of many parallel requests were dropped and retried by the client 1, 3, 7... seconds later."""

    def __init__(self, address: Address, port: int, served: Served) -> None:
        self.address_family = address.family
        self.address = address
        self.served = served
        super().__init__((address.host, port), Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that left mid-request or mid-response (a closed tab, a reload, a cancelled download) is no
        news: nothing is printed. Anything else is a bug of ours, printed as the CLI prints an internal error
        (socketserver would print a traceback)."""
        error = sys.exc_info()[1]
        if error is None or isinstance(error, ConnectionError):
            return
        self.served.report(error if isinstance(error, InternalError) else
                           InternalError(error, None, "answering a request"))


class LiveServer:
    """The preview's HTTP server: a listener on each address (127.0.0.1 and ::1 by default), all on one port,
    serving one preview and keeping its tabs informed."""

    def __init__(self, listeners: tuple[Listener, ...], served: Served) -> None:
        self.listeners = listeners
        self.served = served
        self._running: list[Listener] = []
        """The listeners served in threads of their own (all but the first), to stop on close."""

    @property
    def port(self) -> int:
        return self.listeners[0].server_port

    def urls(self) -> tuple[str, ...]:
        """The preview's address on each listener: 'http://127.0.0.1:8000/', 'http://[::1]:8000/'."""
        return tuple(dict.fromkeys(f"http://{listener.address.shown}:{self.port}/" for listener in self.listeners))

    def broadcast_rebuild(self, result: Rebuild) -> None:
        self.served.tabs.broadcast(result)

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Serve every listener until close() or Ctrl-C: the first in this thread, the others in threads of their
        own."""
        for listener in self.listeners[1:]:
            threading.Thread(target=listener.serve_forever, args=(poll_interval,), daemon=True,
                             name=f"sitegen-serve-{listener.address.host}").start()
            self._running.append(listener)
        self.listeners[0].serve_forever(poll_interval)

    def close(self) -> None:
        """Stop serving: end every tab's stream, stop the listeners served in threads, close every socket."""
        self.served.closing.set()
        self.served.tabs.close()
        for listener in self._running:
            listener.shutdown()
        for listener in self.listeners:
            listener.server_close()


class Handler(BaseHTTPRequestHandler):
    server: Listener
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once: no 40 ms delayed-ACK stall per response

    def log_message(self, format: str, *args: object) -> None:  # quiet: the terminal is for build messages
        pass

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:
        if refused := self._refused_host():
            status, reason = refused
            self._send(status, "text/plain; charset=utf-8", reason.encode(), head)
            return
        url = urlsplit(self.path)
        if url.path == EVENTS:
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            self._events(query.get("path", "/"), _served_digest(query.get("digest", "")),
                         _served_generation(query.get("generation", "")))
            return
        if url.path == SCRIPT:
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", LIVE_SCRIPT, head)
            return
        wanted = unquote(url.path, errors="strict") if _decodes(url.path) else None
        path = request_path(wanted) if wanted is not None else None
        if path is None:
            self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", b"outside the site\n", head)
            return
        generation = self.server.served.preview.current
        if generation is None:  # the first build failed: say why until one succeeds
            failure = self.server.served.preview.failure
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/html; charset=utf-8", _error_page(failure), head)
            return
        self._serve(generation, path, url.query, head)

    def _refused_host(self) -> tuple[HTTPStatus, str] | None:
        """Why a request's Host header is refused, or None when it names this preview. Any other name may be a web
        page that rebound its domain name to this address (DNS rebinding) to read the preview, drafts included.
        A request without a Host header cannot come from a browser (browsers always send one): an HTTP/1.0
        request may leave it out; HTTP/1.1 requires it (RFC 9112, 3.2)."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) > 1:
            return HTTPStatus.BAD_REQUEST, "more than one Host header\n"
        if not hosts:
            if self.request_version in ("HTTP/0.9", "HTTP/1.0"):
                return None
            return HTTPStatus.BAD_REQUEST, "an HTTP/1.1 request must have a Host header\n"
        names, port = self.server.served.names, self.server.server_port
        if names_this_server(hosts[0], names, port):
            return None
        return HTTPStatus.FORBIDDEN, (f"this preview answers only to {', '.join(names)} or an IP address (port "
                                      f"{port}), to keep other web sites from reading it: open "
                                      f"http://{self.server.address.shown}:{port}/\n")

    def _serve(self, generation: Generation, path: str, query: str, head: bool) -> None:
        """Answer with the page, feed or file at `path`, a redirect to its folder, the site's 404 page, or the error
        that rendering it met. Everything is read before anything is sent: a client that leaves mid-response is not
        taken for a missing file."""
        plan = generation.plan
        if path not in plan.pages and path not in plan.generated and not path.endswith("index.html") \
                and f"{path}/index.html" in plan.pages:
            self._redirect("/" + path + "/" + (f"?{query}" if query else ""))
            return
        status, kind = HTTPStatus.OK, _content_type(path)
        try:
            data = generation.render(path)
            if data is None:
                data = self._static_file(generation, path)
            if data is None and path.startswith(SEARCH_FOLDER + "/"):
                data = generation.search_file(path)
            if data is None:
                status, kind, data = HTTPStatus.NOT_FOUND, _content_type("404.html"), generation.render("404.html")
        except TemplateFailure as failure:  # a mistake in a template: shown with its line, as the build shows it
            text = format_errors((failure.error,), self.server.served.preview.root)
            status, kind, data = HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", _error_page(text)
        except OSError:
            status, kind, data = HTTPStatus.NOT_FOUND, _content_type("404.html"), None
        except Exception as exc:  # a bug of ours: the page says so in the CLI's words, and so does the terminal
            route = plan.pages.get(path)
            source = (route.source if route is not None else None) or Path(path)  # named as `sitegen build` names it
            text = self.server.served.report(InternalError(exc, source, "rendering"))
            status, kind, data = HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", _error_page(text)
        self._send(status, kind, data or b"not found\n", head)

    def _static_file(self, generation: Generation, path: str) -> bytes | None:
        """The bytes of the static file at `path`, if there is one inside the site."""
        source = generation.plan.copies.get(path)
        return source.read_bytes() if source is not None and self._inside_site(source) else None

    def _inside_site(self, source: Path) -> bool:
        """Static files are served only from inside the site or its theme folders, even through symlinks."""
        preview = self.server.served.preview
        roots = [preview.root.resolve(), *(f.resolve() for f in (preview.theme.folders if preview.theme else ()))]
        resolved = source.resolve()
        return any(resolved.is_relative_to(root) for root in roots)

    def _send(self, status: HTTPStatus, content_type: str, data: bytes, head: bool = False) -> None:
        etag = None
        if content_type.startswith("text/html"):
            current = self.server.served.preview.current
            data = inject_script(data, current.number if current else 0)
        elif status == HTTPStatus.OK:  # stylesheets, images, feeds: revalidated, so a reload refetches nothing
            etag = f'"{page_digest(data)}"'
            if self.headers.get("If-None-Match") == etag:
                status, data = HTTPStatus.NOT_MODIFIED, b""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(data)))
        if etag:
            self.send_header("ETag", etag)
        self.send_header("Cache-Control", "no-cache" if etag else "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _redirect(self, location: str) -> None:
        from urllib.parse import quote

        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", quote(location, safe="/?=&%"))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _events(self, page: str, served_digest: str, served_generation: int) -> None:
        path = request_path(unquote(page)) or "index.html"  # location.pathname arrives percent-encoded twice
        client = self.server.served.tabs.connect(path, served_digest, served_generation)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            while not self.server.served.closing.is_set():
                try:
                    message = client.messages.get(timeout=15)
                except queue.Empty:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    if message is None:
                        break
                    self.wfile.write(b"data: " + json.dumps(message, ensure_ascii=False).encode() + b"\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        finally:
            self.server.served.tabs.disconnect(client)
            self.close_connection = True


def inject_script(html: bytes, generation: int = 0) -> bytes:
    """Add the live-reload script to an HTML page, before </body> (or at the end). It carries the generation and
    the fingerprint of what it was served, so a tab connecting late still learns of what changed meanwhile."""
    tag = (f'<script src="{SCRIPT}" data-generation="{generation}" '
           f'data-digest="{page_digest(html)}"></script>').encode()
    index = html.rfind(b"</body>")
    return html[:index] + tag + html[index:] if index >= 0 else html + tag


def bind(host: str, port: int, preview: Preview, *, navigate: bool) -> LiveServer:
    """Listen on `host` at `port`: 127.0.0.1 (the default) and localhost listen on ::1 too, where the machine has
    IPv6, and port 0 picks a port free on each address. Raises OSError with a clear message when the port is taken
    or the host unknown."""
    try:
        addresses = listen_addresses(host)
    except socket.gaierror as exc:
        raise OSError(f"cannot listen on {host!r}: {exc.strerror}") from exc
    served = Served(preview, Tabs(preview, navigate=navigate), host_names(host))
    for _attempt in range(20):
        try:
            return LiveServer(_listen(addresses, port, served), served)
        except _BindFailed as failed:
            if not (failed.taken and failed.picked):
                raise OSError(failed.message()) from failed.cause
            # the port the system picked for 127.0.0.1 is taken on ::1: pick another
    raise OSError(f"no port is free on every address of {host!r}; pass --port N")


class _BindFailed(Exception):
    """Listening on one of the addresses failed."""

    def __init__(self, address: Address, port: int, cause: OSError, picked: bool) -> None:
        super().__init__(str(cause))
        self.address, self.port, self.cause = address, port, cause
        self.picked = picked
        """The port was the one the system picked for the first address (asked for port 0)."""

    @property
    def taken(self) -> bool:
        return self.cause.errno in ADDRESS_IN_USE

    def message(self) -> str:
        if self.taken:
            return f"port {self.port} on {self.address.host} is in use; pass --port N, or --port 0 for a free one"
        return f"cannot listen on {self.address.host} port {self.port}: {self.cause.strerror or self.cause}"


def _listen(addresses: tuple[Address, ...], port: int, served: Served) -> tuple[Listener, ...]:
    """A listener on each address, all on one port: `port`, or with 0 the one the system picks for the first address.
    An optional address (::1) is left out where the machine has no IPv6."""
    listeners: list[Listener] = []
    try:
        for address in addresses:
            wanted = listeners[0].server_port if listeners else port
            try:
                listeners.append(Listener(address, wanted, served))
            except OSError as exc:
                if not (address.optional and exc.errno in NO_IPV6):
                    raise _BindFailed(address, wanted, exc, picked=bool(listeners) and port == 0) from exc
    except BaseException:
        for listener in listeners:
            listener.server_close()
        raise
    return tuple(listeners)


def _served_generation(text: str) -> int:
    """The generation a tab says it was served (a query value from live.js); 0, as if absent, when it is not a
    plain number (int() would take '١٢' and fail on '²' or on 5000 digits)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else 0


def _served_digest(text: str) -> str:
    """The fingerprint a tab says it was served (a query value from live.js); empty, as if absent, when it is not
    one (see model.page_digest)."""
    return text if _DIGEST.fullmatch(text) else ""


def _decodes(path: str) -> bool:
    try:
        unquote(path, errors="strict")
    except UnicodeDecodeError:
        return False
    return True


def _content_type(path: str) -> str:
    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind.endswith(("xml", "json", "javascript")) \
        else kind


def _error_page(text: str) -> bytes:
    from html import escape

    return (f'<!DOCTYPE html><html lang="en" dir="ltr"><head><meta charset="utf-8"><title>Build error</title></head>'
            f'<body><h1>sitegen: build error</h1><pre>{escape(text)}</pre></body></html>').encode()
