"""A local stand-in for Netlify serving a built site: the headers of netlify.toml (so the Content-Security-Policy
is the real one), gzip like a CDN, `404.html` for missing pages, Arabic paths percent-decoded.

Used by the theme's browser tests (tests/test_theme_browser.py), tools/screenshots.py and tools/lighthouse.py.
"""

from __future__ import annotations

import fnmatch
import gzip
import mimetypes
import threading
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
COMPRESSED = ("text/", "application/json", "application/xml", "application/rss+xml", "application/atom+xml",
              "application/feed+json", "image/svg+xml", "application/javascript")
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml",
         ".xml": "application/xml; charset=utf-8", ".json": "application/json; charset=utf-8",
         ".js": "application/javascript; charset=utf-8", ".txt": "text/plain; charset=utf-8", ".png": "image/png"}


def netlify_headers(netlify_toml: Path = ROOT / "netlify.toml") -> list[tuple[str, dict[str, str]]]:
    """The `[[headers]]` rules of netlify.toml: (path pattern, headers)."""
    config = tomllib.loads(netlify_toml.read_text(encoding="utf-8"))
    return [(rule["for"], dict(rule["values"])) for rule in config.get("headers", [])]


def _headers_for(path: str, rules: list[tuple[str, dict[str, str]]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for pattern, values in rules:
        if fnmatch.fnmatchcase(path, pattern):
            headers.update(values)
    return headers


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def do_GET(self) -> None:
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        file = self._find(path)
        status = 200
        if file is None:
            status, file = 404, self.server.folder / "404.html"
        data = file.read_bytes() if file.is_file() else b"not found"
        kind = TYPES.get(file.suffix, mimetypes.guess_type(file.name)[0] or "application/octet-stream")
        headers = _headers_for(path, self.server.rules)
        gzipped = self.server.compress and kind.startswith(COMPRESSED) and "gzip" in self.headers.get(
            "Accept-Encoding", "")
        if gzipped:
            data = gzip.compress(data, compresslevel=6, mtime=0)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _find(self, path: str) -> Path | None:
        folder = self.server.folder
        target = (folder / path.lstrip("/")).resolve()
        if target != folder and folder not in target.parents:
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser closing a connection it no longer needs is not an error worth a traceback."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]

    def __init__(self, folder: Path, rules: list[tuple[str, dict[str, str]]], compress: bool) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.folder = folder.resolve()
        self.rules = rules
        self.compress = compress


@contextmanager
def serve(folder: Path, *, compress: bool = True, headers: bool = True) -> Iterator[str]:
    """Serve `folder` on a free local port for the duration of the block; yields its base URL ('http://.../')."""
    server = _Server(folder, netlify_headers() if headers else [], compress)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build_sample_blog(output: Path, epoch: str = "1893456000") -> Path:
    """Build the repository's sample blog into `output` with a fixed clock (2030), as the tests do."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "sitegen", "build", "--source", str(ROOT), "--output", str(output)],
                            env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"sitegen build failed:\n{result.stderr}")
    return output
