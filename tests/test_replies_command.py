"""`sitegen replies` against a local server that answers as Netlify's API and webmention.io do (the recorded
shapes of tests/fixtures/inbox, see its SOURCE.md): pull, list, accept, reject, spam, review, purge; every failure
(no token, 401, 404, 429, no network) a clear message with nothing written; and the whole loop through the real
command line to a built page."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from sitegen.inbox.store import STORE

from .helpers import FIXED_EPOCH, ROOT, build_ok, run_cli, strict_html

FIXTURES = ROOT / "tests" / "fixtures" / "inbox"
TOKEN = "nfp_SECRET-token-1234567890"
WM_TOKEN = "wm-SECRET-abcdef"
SITE_ID = "3970e0fe-8564-4903-9a55-c5f8de49fb8b"
FORM_ID = "5f8a1c0e2b3d4a0007c1e002"
LAILA = "nf-65b2f0c1a7d4e30008a1b201"
MALLORY = "nf-65b2f0c1a7d4e30008a1b199"
SPAM = "nf-65b2f0c1a7d4e30008a1b300"
Answer = tuple[int, dict[str, str], bytes]


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class FakeApi:
    """Netlify's API under /api/v1 and webmention.io's under /wm, answering with the recorded fixtures; `override`
    answers a path (without its query) otherwise; every request is kept in `seen`."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, str]] = []
        """(method, path?query, Authorization)."""
        self.override: dict[str, Answer] = {}
        self.mentions = json.loads(fixture("webmention_mentions.jf2.json"))

    def answer(self, method: str, target: str, auth: str) -> Answer:
        self.seen.append((method, target, auth))
        parts = urlsplit(target)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path in self.override:
            return self.override[parts.path]
        if parts.path == "/wm/api/mentions.jf2":
            if query.get("token") != WM_TOKEN:
                return 401, {}, b'{"error": "forbidden", "error_description": "Access token was not valid"}'
            since = int(query.get("since_id", 0))
            feed = {**self.mentions, "children": [c for c in self.mentions["children"] if c["wm-id"] > since]}
            return 200, {}, json.dumps(feed).encode()
        if auth != f"Bearer {TOKEN}":
            return 401, {}, b'{"code": 401, "message": "Access Denied: Invalid token"}'
        base = "/api/v1"
        if parts.path == f"{base}/sites/{SITE_ID}/forms":
            return 200, {}, fixture("netlify_forms.json")
        if parts.path == f"{base}/forms/{FORM_ID}/submissions":
            if query.get("state") == "spam":
                return 200, {}, fixture("netlify_spam.json")
            if query.get("page") == "2":
                return 200, {}, fixture("netlify_submissions_page2.json")
            link = (f'<{base}/forms/{FORM_ID}/submissions?page=2&per_page=100>; rel="next", '
                    f'<{base}/forms/{FORM_ID}/submissions?page=2&per_page=100>; rel="last"')
            return 200, {"Link": link}, fixture("netlify_submissions_page1.json")
        if method == "PUT" and parts.path.startswith(f"{base}/submissions/") and parts.path.endswith("/spam"):
            return 200, {}, b"{}"
        return 404, {}, b'{"code": 404, "message": "Not Found"}'


@pytest.fixture
def api() -> Iterator[tuple[FakeApi, str]]:
    fake = FakeApi()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self) -> None:
            status, headers, body = fake.answer(self.command, self.path, self.headers.get("Authorization", ""))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_PUT = _reply

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def environment(base: str, **changes: str | None) -> dict[str, str]:
    env = {"NETLIFY_AUTH_TOKEN": TOKEN, "NETLIFY_SITE_ID": SITE_ID, "SITEGEN_NETLIFY_API": f"{base}/api/v1",
           "WEBMENTION_IO_TOKEN": WM_TOKEN, "SITEGEN_WEBMENTION_API": f"{base}/wm/api/mentions.jf2"}
    for key, value in changes.items():
        if value is None:
            env.pop(key)
        else:
            env[key] = value
    return env


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content" / "posts").mkdir(parents=True)
    (root / "sitegen.yaml").write_text("title: t\nbase_url: https://example.org/\ntimezone: Asia/Riyadh\n"
                                       "webmention: https://webmention.io/example.org/webmention\n")
    (root / "content" / "posts" / "hello.md").write_text("---\ntitle: Hello\ndate: 2025-01-01\n---\nhi\n")
    return root


def replies(site: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], *args: str,
            stdin: str | None = None) -> tuple[int, str, str]:
    for key in ("NETLIFY_AUTH_TOKEN", "NETLIFY_SITE_ID", "WEBMENTION_IO_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return run_cli("replies", *args, "--source", site)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- pulling --------------------------------------------------------------------------------------------------


def test_pull_stores_every_page_and_the_spam_verdict_and_a_second_pull_adds_nothing(
        site: Path, api: tuple[FakeApi, str], monkeypatch: pytest.MonkeyPatch) -> None:
    fake, base = api
    code, out, err = replies(site, monkeypatch, environment(base), "pull")
    assert (code, err) == (0, "")
    assert out == ("pulled 4 new replies, 1 of them spam by Netlify's filter, 2 likes or reposts; `sitegen replies` "
                   "lists them\nupdated the likes and reposts of 1 post (content/replies/hello/_mentions.yaml)\n")
    assert (site / "content/replies/hello/_mentions.yaml").read_text() == "likes: 1\nreposts: 1\n"
    store = (site / STORE).read_bytes()
    records = [json.loads(line) for line in store.splitlines()]
    assert [r["id"] for r in records] == ["nf-65b2f0c1a7d4e30008a1b199", LAILA, SPAM, "wm-1812345", "wm-1812346",
                                          "wm-1812347"]
    assert [(r.get("post"), r.get("spam", False), r["state"]) for r in records] == [
        ("hello", False, "pending"), ("hello", False, "pending"), (None, True, "pending"),
        ("hello", False, "pending"), ("hello", False, "counted"), ("hello", False, "counted")]
    assert [(m, t) for m, t, _ in fake.seen if "/wm/" not in t] == [
        ("GET", f"/api/v1/sites/{SITE_ID}/forms"),
        ("GET", f"/api/v1/forms/{FORM_ID}/submissions?per_page=100"),
        ("GET", f"/api/v1/forms/{FORM_ID}/submissions?page=2&per_page=100"),  # from the Link header
        ("GET", f"/api/v1/forms/{FORM_ID}/submissions?per_page=100&state=spam")]
    fake.seen.clear()
    code, out, _ = replies(site, monkeypatch, environment(base), "pull")
    assert (code, out) == (0, "pulled 0 new replies\n")
    assert (site / STORE).read_bytes() == store
    [wm] = [t for _, t, _ in fake.seen if "/wm/" in t]
    assert "since_id=1812347" in wm and "domain=example.org" in wm


def test_the_list_shows_post_name_date_text_and_verdict_with_terminal_escapes_defused(
        site: Path, api: tuple[FakeApi, str], monkeypatch: pytest.MonkeyPatch) -> None:
    _, base = api
    replies(site, monkeypatch, environment(base), "pull")
    code, out, _ = replies(site, monkeypatch, {})
    assert code == 0
    assert out.splitlines()[:4] == [
        f'{MALLORY}  2025-02-02 10:00  hello  Mallory" onmouseover="alert(1) <mallory@example.com>',
        "    <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)> \ufffd[2J",
        f"{LAILA}  2025-02-03 07:00  hello  ليلى <laila@example.net>",
        "    شكرًا على المقال!"]
    assert f"{SPAM}  2025-02-04 01:00  ? (https://example.org/posts/nowhere/)  Cheap pills <spam@example.biz>  " \
           "[SPAM by Netlify]" in out
    assert out.endswith("hello: 1 like, 1 repost\n")
    assert "\x1b" not in out


@pytest.mark.parametrize("override, expected", [
    ({"NETLIFY_AUTH_TOKEN": None}, "sitegen: no Netlify token: set NETLIFY_AUTH_TOKEN to a personal access token"),
    ({"NETLIFY_SITE_ID": None}, "sitegen: no Netlify site id: set NETLIFY_SITE_ID"),
    ({"NETLIFY_AUTH_TOKEN": "wrong"}, "sitegen: Netlify rejected the token in NETLIFY_AUTH_TOKEN (401 Unauthorized)"),
    ({"NETLIFY_SITE_ID": "nope"}, "sitegen: Netlify knows no site with id 'nope': check NETLIFY_SITE_ID or "
                                  ".netlify/state.json (404 Not Found)"),
    ({"WEBMENTION_IO_TOKEN": None}, "sitegen: no webmention.io token: set WEBMENTION_IO_TOKEN"),
    ({"WEBMENTION_IO_TOKEN": "bad"}, "sitegen: webmention.io rejected the token in WEBMENTION_IO_TOKEN (401"),
    ({"SITEGEN_NETLIFY_API": "http://127.0.0.1:9/api/v1"}, "sitegen: cannot reach Netlify at 127.0.0.1:9: "),
])
def test_a_failed_pull_says_why_and_writes_nothing(site: Path, api: tuple[FakeApi, str],
                                                   monkeypatch: pytest.MonkeyPatch, override: dict[str, str | None],
                                                   expected: str) -> None:
    _, base = api
    code, _, err = replies(site, monkeypatch, environment(base, **override), "pull")
    assert code == 1 and err.startswith(expected), err
    assert not (site / STORE).exists()
    assert TOKEN not in err and WM_TOKEN not in err


def test_the_rate_limit_says_when_to_try_again(site: Path, api: tuple[FakeApi, str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    fake, base = api
    fake.override[f"/api/v1/forms/{FORM_ID}/submissions"] = (
        429, {"X-RateLimit-Limit": "500", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "4102444800"}, b"{}")
    code, _, err = replies(site, monkeypatch, environment(base), "pull")
    assert code == 1
    assert err.startswith("sitegen: Netlify's rate limit is reached (429 Too Many Requests): try again after "
                          "2100-01-01 00:00:00 UTC (in "), err
    assert not (site / STORE).exists()


def test_a_missing_form_page_is_a_404_naming_the_form_and_nothing_is_half_written(
        site: Path, api: tuple[FakeApi, str], monkeypatch: pytest.MonkeyPatch) -> None:
    fake, base = api
    fake.override["/wm/api/mentions.jf2"] = (500, {}, b"oops")  # Netlify answered; webmention.io fails after
    code, _, err = replies(site, monkeypatch, environment(base), "pull")
    assert (code, err) == (1, "sitegen: webmention.io failed with 500; try again later (nothing was changed)\n")
    assert not (site / STORE).exists()
    fake.override = {f"/api/v1/forms/{FORM_ID}/submissions": (404, {}, b"{}")}
    code, _, err = replies(site, monkeypatch, environment(base), "pull", "--only", "netlify")
    assert err == (f"sitegen: Netlify knows no form with id '{FORM_ID}' (the site's 'reply' form) (404 Not Found)\n")


def test_the_site_id_can_come_from_netlify_link(site: Path, api: tuple[FakeApi, str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _, base = api
    (site / ".netlify").mkdir()
    (site / ".netlify" / "state.json").write_text(json.dumps({"siteId": SITE_ID}))
    code, out, err = replies(site, monkeypatch, environment(base, NETLIFY_SITE_ID=None), "pull", "--only",
                             "netlify")
    assert (code, err) == (0, "") and out.startswith("pulled 3 new replies")


# --- deciding -------------------------------------------------------------------------------------------------


def test_spam_is_reported_to_netlify_reject_is_kept_and_purge_keeps_ids_so_nothing_comes_back(
        site: Path, api: tuple[FakeApi, str], monkeypatch: pytest.MonkeyPatch) -> None:
    fake, base = api
    env = environment(base)
    replies(site, monkeypatch, env, "pull")
    fake.seen.clear()
    code, out, err = replies(site, monkeypatch, env, "spam", MALLORY, SPAM)
    assert (code, err) == (0, "")
    assert out == (f"{MALLORY}: spam (reported to Netlify); kept in content/replies/_pending.jsonl until "
                   "`sitegen replies purge`\n"
                   f"{SPAM}: spam; kept in content/replies/_pending.jsonl until `sitegen replies purge`\n")
    assert [(m, t) for m, t, _ in fake.seen] == [("PUT", f"/api/v1/submissions/{MALLORY[3:]}/spam")]  # Netlify's own
    code, out, _ = replies(site, monkeypatch, env, "reject", "wm-1812345")
    assert code == 0 and "wm-1812345: rejected" in out
    code, out, _ = replies(site, monkeypatch, env, "--all")
    assert "[rejected]" in out and "Great post!" in out
    code, out, _ = replies(site, monkeypatch, env, "purge")
    assert out == "purged 3 decided replies (their ids are kept, so a pull does not bring them back)\n"
    store = (site / STORE).read_text(encoding="utf-8")
    assert "Great post!" not in store and "mallory@example.com" not in store and "purged" in store
    replies(site, monkeypatch, env, "pull")
    assert (site / STORE).read_text(encoding="utf-8") == store


def test_a_failed_spam_report_leaves_the_reply_pending(site: Path, api: tuple[FakeApi, str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    fake, base = api
    replies(site, monkeypatch, environment(base), "pull")
    before = (site / STORE).read_bytes()
    fake.override[f"/api/v1/submissions/{LAILA[3:]}/spam"] = (401, {}, b"{}")
    code, _, err = replies(site, monkeypatch, environment(base), "spam", LAILA[:-1])  # the start of one id
    assert (code, err) == (1, "sitegen: Netlify rejected the token in NETLIFY_AUTH_TOKEN (401 Unauthorized): it may "
                              "be mistyped, expired or revoked; make a new one and set it again\n")
    assert (site / STORE).read_bytes() == before


def test_a_reply_to_an_unknown_post_says_so_and_can_be_given_its_post(site: Path, api: tuple[FakeApi, str],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _, base = api
    replies(site, monkeypatch, environment(base), "pull")
    code, _, err = replies(site, monkeypatch, {}, "accept", SPAM)
    assert (code, err) == (1, f"sitegen: {SPAM} answers 'https://example.org/posts/nowhere/', which is no post of "
                              "this site: pass --post SLUG to say which\n")
    code, _, err = replies(site, monkeypatch, {}, "accept", SPAM, "--post", "helo")
    assert code == 1 and "'helo', which is no post of this site" in err
    code, out, _ = replies(site, monkeypatch, {}, "accept", SPAM, "--post", "hello")
    assert code == 0 and out.startswith(f"{SPAM}: accepted -> content/replies/hello/2025-02-04-cheap-pills-")
    code, _, err = replies(site, monkeypatch, {}, "accept", SPAM)
    assert code == 1 and err.startswith(f"sitegen: {SPAM} is accepted already (content/replies/hello/")
    code, _, err = replies(site, monkeypatch, {}, "accept", "wm-1812346")
    assert (code, err) == (1, "sitegen: wm-1812346 is a like: it is counted, not published as a reply\n")


def test_review_goes_one_by_one_and_saves_each_decision(site: Path, api: tuple[FakeApi, str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _, base = api
    replies(site, monkeypatch, environment(base), "pull")
    code, out, _ = replies(site, monkeypatch, {}, "review", stdin="r\nwhat\na\n")  # then the input ends: quit
    assert code == 0
    assert "(1/4) " + MALLORY in out and "(2/4) " + LAILA in out and "(3/4) " + SPAM in out
    assert f"{MALLORY}: rejected" in out and f"{LAILA}: accepted -> content/replies/hello/" in out
    states = {r["id"]: r["state"] for r in map(json.loads, (site / STORE).read_text().splitlines())}
    assert (states[MALLORY], states[LAILA], states[SPAM]) == ("rejected", "accepted", "pending")


def test_a_broken_store_is_reported_and_left_alone(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (site / STORE).parent.mkdir(parents=True)
    (site / STORE).write_text('{"id": "nf-a", "source": "netlify"}\n{oops\n')
    code, _, err = replies(site, monkeypatch, {}, "reject", "nf-a")
    assert code == 1
    assert err.startswith("content/replies/_pending.jsonl:2: error: not a JSON record: "), err
    assert err.endswith("sitegen: the pending replies (content/replies/_pending.jsonl) cannot be read; nothing was "
                        "changed\n")
    assert (site / STORE).read_text() == '{"id": "nf-a", "source": "netlify"}\n{oops\n'


# --- email ----------------------------------------------------------------------------------------------------


def test_an_email_becomes_a_pending_reply_once(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("sitegen.inbox.mail")
    mail = site / "reply.eml"
    mail.write_bytes(b"From: =?UTF-8?B?2YTZitmE2Yk=?= <laila@example.net>\r\nTo: author@example.org\r\n"
                     b"Subject: Re: Hello\r\nDate: Mon, 03 Feb 2025 10:00:00 +0300\r\n"
                     b"Message-ID: <abc@example.net>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                     b"Thanks for https://example.org/posts/hello/\r\n")
    code, out, err = replies(site, monkeypatch, {}, "add", str(mail))
    assert code == 0, err
    assert out == "added 1 new reply; `sitegen replies` lists them\n"
    [record] = [json.loads(line) for line in (site / STORE).read_text().splitlines()]
    assert (record["source"], record["post"], record["email"]) == ("email", "hello", "laila@example.net")
    assert record["source_url"].strip("<>") == "abc@example.net" and record["id"].startswith("em-")
    code, out, _ = replies(site, monkeypatch, {}, "add", str(mail))
    assert out == "added 0 new replies\n"


# --- the whole loop -------------------------------------------------------------------------------------------


def sitegen(site: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("NETLIFY_AUTH_TOKEN", "WEBMENTION_IO_TOKEN")}
    return subprocess.run([sys.executable, "-m", "sitegen", *args], cwd=site, capture_output=True, text=True,
                          timeout=120, env={**clean, **env, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": FIXED_EPOCH})


def test_pull_accept_build_through_the_real_command_line(site: Path, api: tuple[FakeApi, str]) -> None:
    """The reader's words reach the page, sanitized as a hand-written reply is, and no token is written anywhere."""
    _, base = api
    env = environment(base)
    pulled = sitegen(site, env, "replies", "pull")
    assert pulled.returncode == 0, pulled.stderr
    accepted = sitegen(site, env, "replies", "accept", LAILA[:-1], MALLORY, "wm-1812345")
    assert accepted.returncode == 0, accepted.stderr
    listed = sitegen(site, env, "replies")
    assert listed.stdout.startswith(SPAM)  # the only one still waiting
    build_ok("--source", site)
    page = strict_html((site / "public" / "posts" / "hello" / "index.html").read_bytes())
    articles = page.findall(".//*[@id]")
    reply_ids = [a.get("id") for a in articles if (a.get("id") or "").startswith("reply-2025")]
    assert len(reply_ids) == 3
    html = (site / "public" / "posts" / "hello" / "index.html").read_text(encoding="utf-8")
    text = "".join(page.itertext())
    assert "شكرًا على المقال!" in text and "Great post!" in text
    assert 'Mallory" onmouseover="alert(1)' in text  # the name shown as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    for element in page.iter():
        assert not any(name.startswith("on") for name in element.attrib)
        assert not any(value.strip().lower().startswith("javascript:") for value in element.attrib.values())
    assert "laila@example.net" not in html and "mallory@example.com" not in html  # emails stay private
    counts = [" ".join("".join(p.itertext()).split()) for p in page.iter("p") if p.get("class") == "mentions"]
    assert counts == ["إعجاب واحد · مشاركة واحدة"]  # Tantek's like and Someone's repost, counted, not named
    assert "Tantek" not in html and "tantek.com" not in html and "someone.example" not in html
    assert html.index("Mallory") < html.index("ليلى") < html.index("Great post!")  # oldest first
    for path, data in files_of(site).items():
        assert TOKEN.encode() not in data and WM_TOKEN.encode() not in data, path
    assert not any(name.startswith("replies") or "_pending" in name for name in files_of(site / "public"))


def test_a_mistyped_action_gets_a_did_you_mean(site: Path) -> None:
    code, _, err = run_cli("replies", "acept", "nf-1", "--source", site)
    assert code == 2
    assert err.splitlines()[-1] == ("sitegen replies: error: argument ACTION: invalid choice: 'acept'; did you mean "
                                    "'accept'? (choose from 'pull', 'add', 'accept', 'reject', 'spam', 'review', "
                                    "'purge')")
