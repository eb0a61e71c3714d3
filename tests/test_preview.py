"""The preview server over HTTP (no browser): routing, safety, injection, status codes, recovery."""

from __future__ import annotations

import http.client
import socket
import threading
from pathlib import Path
from urllib.parse import quote

import pytest

from sitegen.preview.model import page_digest, request_path
from sitegen.preview.server import inject_script

from .helpers import Server, edit, get, subscribe, wait_until


@pytest.fixture
def server(site_copy):
    """A server of its own, for a test that edits the site; those that only send requests share `served_basic`."""
    running = Server(site_copy("basic"))
    yield running
    running.stop()


def test_request_paths() -> None:
    assert request_path("/") == "index.html"
    assert request_path("/posts/بناء-علاقات/") == "posts/بناء-علاقات/index.html"
    assert request_path("/feed.xml") == "feed.xml"
    assert request_path("//posts//x/") == None  # noqa: E711 - absolute-looking paths are refused
    for bad in ("/../etc/passwd", "/posts/../../x", "/a/./b", "/a\\..\\b", "/x\x00"):
        assert request_path(bad) is None, bad


def test_inject_script_before_body_end() -> None:
    page = b"<p>x</p></body></html>"
    assert inject_script(page, 7) == (b'<p>x</p><script src="/__sitegen/live.js" data-generation="7" data-digest="'
                                      + page_digest(page).encode() + b'"></script></body></html>')


def test_pages_are_served_with_the_script_and_built_files_stay_clean(served_basic: Server) -> None:
    status, headers, body = get(served_basic, "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert body.count(b"/__sitegen/live.js") == 1
    status, headers, body = get(served_basic, "/atom.xml")
    assert status == 200 and b"live.js" not in body
    assert not (served_basic.site / "public").exists()  # the preview writes nothing to disk


def test_arabic_urls_are_served(served_basic: Server) -> None:
    status, _, body = get(served_basic, quote("/posts/بناء-علاقات/"))
    assert status == 200
    assert "بناء علاقات حقيقية في B2B" in body.decode()
    status, headers, _ = get(served_basic, quote("/posts/بناء-علاقات"))
    assert status == 301 and headers["Location"] == quote("/posts/بناء-علاقات/")


@pytest.mark.parametrize("path", ["/../sitegen.yaml", "/%2e%2e/sitegen.yaml", "/posts/%2E%2E/%2E%2E/sitegen.yaml",
                                  "/..%2fsitegen.yaml", "/%c0%ae%c0%ae/sitegen.yaml"])
def test_requests_outside_the_site_are_refused(served_basic: Server, path: str) -> None:
    status, _, body = get(served_basic, path)
    assert status == 403
    assert b"title:" not in body


def test_symlink_out_of_the_site_is_not_followed(site_copy, tmp_path: Path) -> None:
    """Loading the site refuses a static file linked from outside it, as the build does (bad_input_cases.py); a file
    the preview serves that becomes such a link while it runs is not served either."""
    site = site_copy("basic")
    secret = tmp_path / "secret.txt"
    secret.write_text("do not serve")
    (site / "static").mkdir()
    leak = site / "static" / "leak.txt"
    leak.write_text("public")
    running = Server(site)
    try:
        assert get(running, "/leak.txt")[2] == b"public"
        leak.unlink()
        leak.symlink_to(secret)
        status, _, body = get(running, "/leak.txt")
    finally:
        running.stop()
    assert status == 404 and b"do not serve" not in body


def test_unknown_paths_get_the_sites_404(served_basic: Server) -> None:
    status, _, body = get(served_basic, "/no/such/page/")
    assert status == 404
    assert "الصفحة غير موجودة" in body.decode()
    status, _, _ = get(served_basic, "/no/such/page/", method="HEAD")
    assert status == 404


def test_port_in_use_is_a_clear_error(site_copy) -> None:
    import subprocess
    import sys

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        result = subprocess.run([sys.executable, "-m", "sitegen", "serve", "--source", str(site_copy("basic")),
                                 "--port", str(port)], capture_output=True, text=True, timeout=30)
    finally:
        taken.close()
    assert result.returncode == 1
    assert f"sitegen: port {port} on 127.0.0.1 is in use; pass --port N, or --port 0 for a free one" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_edit_reports_the_error_keeps_serving_and_recovers(server: Server) -> None:
    received: list[dict[str, object]] = []
    stop = threading.Event()
    subscribe(server, "/posts/networking/", received, stop)
    post = server.site / "content/posts/2025-01-10-networking.md"
    assert wait_until(lambda: get(server, "/")[0] == 200)
    edit(post, "tags: [شبكات, مهنة]", "tags: [شبكات, مهنة")
    assert wait_until(lambda: any(m["type"] == "error" for m in received))
    error = next(m for m in received if m["type"] == "error")
    assert str(error["text"]).startswith(
        "content/posts/2025-01-10-networking.md:4:12: error: invalid YAML: expected ',' or ']', but got ':'")
    status, _, body = get(server, "/posts/networking/")  # the last good site is still served
    assert status == 200 and "لماذا تهم؟" in body.decode()
    edit(post, "tags: [شبكات, مهنة", "tags: [شبكات, مهنة]")
    edit(post, "## لماذا تهم؟", "## لماذا تهم الشبكات؟")
    assert wait_until(lambda: {"type": "reload"} in received)
    assert {"type": "ok"} in received[received.index(error):]
    assert "لماذا تهم الشبكات؟" in get(server, "/posts/networking/")[2].decode()
    stop.set()


def test_only_tabs_whose_page_changed_reload(server: Server) -> None:
    on_post: list[dict[str, object]] = []
    on_other: list[dict[str, object]] = []
    stop = threading.Event()
    for page, into in (("/posts/networking/", on_post), ("/posts/bundle-post/", on_other)):
        subscribe(server, page, into, stop)
    assert wait_until(lambda: get(server, "/")[0] == 200)
    edit(server.site / "content/posts/2025-01-10-networking.md", "فرص عمل", "فرص عمل جديدة")
    assert wait_until(lambda: {"type": "reload"} in on_post)
    assert wait_until(lambda: {"type": "ok"} in on_other)
    assert {"type": "reload"} not in on_other
    stop.set()


def test_adding_and_deleting_posts_updates_lists_and_feeds(server: Server) -> None:
    new = server.site / "content/posts/new-post.md"
    new.write_text("---\ntitle: مقال جديد تمامًا\ndate: 2025-06-01\ntags: [جديد]\n---\nنص.\n", encoding="utf-8")
    assert wait_until(lambda: "مقال جديد تمامًا" in get(server, "/")[2].decode())
    assert "مقال جديد تمامًا" in get(server, "/atom.xml")[2].decode()
    assert get(server, quote("/tags/جديد/"))[0] == 200
    new.rename(server.site / "content/posts/renamed-post.md")
    assert wait_until(lambda: get(server, "/posts/renamed-post/")[0] == 200)
    assert get(server, "/posts/new-post/")[0] == 404
    (server.site / "content/posts/renamed-post.md").unlink()
    assert wait_until(lambda: "مقال جديد تمامًا" not in get(server, "/")[2].decode())
    assert get(server, quote("/tags/جديد/"))[0] == 404


def test_ctrl_c_stops_cleanly_even_with_a_tab_connected(site_copy) -> None:
    import signal

    running = Server(site_copy("basic"), python_m=True)  # a real Ctrl-C to `python -m sitegen serve`
    assert running.process is not None
    received: list[dict[str, object]] = []
    stop = threading.Event()
    subscribe(running, "/", received, stop)
    assert wait_until(lambda: get(running, "/")[0] == 200)
    running.process.send_signal(signal.SIGINT)
    output, _ = running.process.communicate(timeout=10)
    stop.set()
    assert running.process.returncode == 0
    assert output.strip().endswith("stopped")
    assert "Traceback" not in output


def test_a_tab_that_connects_after_a_rebuild_catches_up(site_copy) -> None:
    import re

    site = site_copy("basic")
    (site / "static").mkdir()
    (site / "static" / "extra.css").write_text("p { color: red; }")
    running = Server(site)
    try:
        _, _, page = get(running, "/posts/networking/")
        served = re.search(rb'data-generation="(\d+)" data-digest="(\w+)"', page)
        assert served
        watcher: list[dict[str, object]] = []
        stop = threading.Event()
        subscribe(running, "/about/", watcher, stop)
        assert wait_until(lambda: get(running, "/")[0] == 200)
        (site / "static" / "extra.css").write_text("p { color: blue; }")
        edit(site / "content/posts/2025-01-10-networking.md", "فرص عمل", "فرص عمل كثيرة")
        assert wait_until(lambda: any(m["type"] == "css" for m in watcher))
        assert wait_until(lambda: "كثيرة" in get(running, "/posts/networking/")[2].decode())
        late: list[dict[str, object]] = []
        extra = f"&generation={served[1].decode()}&digest={served[2].decode()}"
        subscribe(running, "/posts/networking/", late, stop, extra)
        assert wait_until(lambda: {"type": "reload"} in late)
        assert {"type": "css", "paths": ["extra.css"]} in late
        stop.set()
    finally:
        running.stop()


def test_static_files_are_revalidated_not_downloaded_again(served_basic: Server) -> None:
    host, port = served_basic.url.split("//")[1].rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/style.css")
    first = connection.getresponse()
    body = first.read()
    assert first.status == 200 and body and first.getheader("Cache-Control") == "no-cache"
    connection.request("GET", "/style.css", headers={"If-None-Match": first.getheader("ETag")})
    second = connection.getresponse()
    assert second.status == 304 and second.read() == b""
    assert get(served_basic, "/")[1]["Cache-Control"] == "no-store"  # pages are always fresh


def test_a_tab_on_an_arabic_url_stays_put_when_another_post_changes(server: Server) -> None:
    import re

    _, _, page = get(server, quote("/posts/بناء-علاقات/"))
    served = re.search(rb'data-generation="(\d+)" data-digest="(\w+)"', page)
    assert served
    received: list[dict[str, object]] = []
    stop = threading.Event()
    extra = f"&generation={served[1].decode()}&digest={served[2].decode()}"
    # live.js sends encodeURIComponent(location.pathname): the browser's percent-encoded path, encoded once more
    subscribe(server, quote("/posts/بناء-علاقات/"), received, stop, extra)
    assert wait_until(lambda: get(server, "/")[0] == 200)
    edit(server.site / "content/posts/bundle-post/index.md", "beside it", "next to it")
    assert wait_until(lambda: {"type": "ok"} in received)
    stop.set()
    assert {"type": "reload"} not in received
