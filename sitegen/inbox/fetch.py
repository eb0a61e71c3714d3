"""Asking a web API for JSON with the standard library: a timeout, a size limit, pages followed by the `Link`
header, and every failure turned into one sentence that says what to do (no token, token rejected, unknown id,
rate limit, network down). A token is sent in a header or the query, and never shown in a message."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from typing import Any
from urllib.parse import urljoin, urlsplit

from .. import __version__

TIMEOUT = 30.0
"""Seconds to wait for an answer."""
MAX_BYTES = 16 * 1024 * 1024
"""The largest answer read: a page of submissions is far smaller."""
MAX_PAGES = 1000
"""The most pages followed, so a server whose `Link` never ends cannot keep a pull going for ever."""
_NEXT = re.compile(r'<([^>]*)>\s*;[^,]*?\brel="?next"?', re.IGNORECASE)


class FetchError(Exception):
    """A request that failed, with the sentence to show the author."""


@dataclass(frozen=True, slots=True)
class Service:
    """An API and how to speak of it in messages."""

    name: str
    """'Netlify', 'webmention.io'."""
    token_variable: str
    """The environment variable the token came from."""
    headers: Mapping[str, str] = field(default_factory=dict)
    secret: str = ""
    """The token, so that it can be cut out of anything shown."""


def get_json(url: str, service: Service, not_found: str, *, method: str = "GET",
             timeout: float = TIMEOUT) -> tuple[Any, Message]:
    """The JSON answer to `url` and its headers; FetchError with a clear sentence otherwise. `not_found` says what a
    404 means ("Netlify knows no site with id 'x'")."""
    request = urllib.request.Request(url, method=method, headers={
        "Accept": "application/json", "User-Agent": f"sitegen/{__version__}", **service.headers})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES + 1)
            headers = response.headers
    except urllib.error.HTTPError as exc:
        raise FetchError(_status_message(exc.code, exc.headers, service, not_found)) from None
    except OSError as exc:  # URLError, a timeout, a refused or reset connection
        reason = getattr(exc, "reason", exc)
        raise FetchError(_hide(f"cannot reach {service.name} at {urlsplit(url).netloc}: {reason}; check the "
                               "connection and try again (nothing was changed)", service)) from None
    if len(body) > MAX_BYTES:
        raise FetchError(f"{service.name} answered with more than {MAX_BYTES // (1024 * 1024)} MB; nothing was "
                         "changed")
    if method != "GET" and not body.strip():
        return None, headers
    try:
        return json.loads(body), headers
    except (ValueError, RecursionError):
        raise FetchError(f"{service.name} answered with something that is not JSON (from "
                         f"{urlsplit(url).netloc}); is the API address right? Nothing was changed") from None


def get_pages(url: str, service: Service, not_found: str) -> Iterator[list[Any]]:
    """Each page of a list answer, following `Link: <...>; rel="next"` (relative links resolved)."""
    seen: set[str] = set()
    for _ in range(MAX_PAGES):
        data, headers = get_json(url, service, not_found)
        if not isinstance(data, list):
            raise FetchError(f"{service.name} answered with {type(data).__name__} where a list was expected; "
                             "nothing was changed")
        yield data
        seen.add(url)
        following = next_link(headers.get("Link", ""), url)
        if following is None or following in seen:
            return
        url = following
    raise FetchError(f"{service.name} gave more than {MAX_PAGES} pages; nothing was changed")


def next_link(header: str, base: str) -> str | None:
    """The `rel="next"` address of a Link header (RFC 8288), resolved against the page that gave it."""
    match = _NEXT.search(header)
    return urljoin(base, match.group(1).strip()) if match else None


def _status_message(status: int, headers: Message, service: Service, not_found: str) -> str:
    if status == 401:
        return (f"{service.name} rejected the token in {service.token_variable} (401 Unauthorized): it may be "
                "mistyped, expired or revoked; make a new one and set it again")
    if status == 403:
        return (f"{service.name} refused the request (403 Forbidden): the token in {service.token_variable} has no "
                "access to it")
    if status == 404:
        return f"{not_found} (404 Not Found)"
    if status == 429:
        return f"{service.name}'s rate limit is reached (429 Too Many Requests): {retry_after(headers)}"
    if status >= 500:
        return f"{service.name} failed with {status}; try again later (nothing was changed)"
    return f"{service.name} answered {status}; nothing was changed"


def retry_after(headers: Message, now: datetime | None = None) -> str:
    """When to try again, from `Retry-After` (seconds or a date) or `X-RateLimit-Reset` (a Unix time)."""
    now = now or datetime.now(UTC)
    when: datetime | None = None
    if (value := (headers.get("Retry-After") or "").strip()):
        if value.isdigit():
            when = datetime.fromtimestamp(now.timestamp() + int(value), UTC)
        else:
            from email.utils import parsedate_to_datetime
            try:
                when = parsedate_to_datetime(value)
            except (TypeError, ValueError):
                when = None
    if when is None and (value := (headers.get("X-RateLimit-Reset") or "").strip()).isdigit():
        try:
            when = datetime.fromtimestamp(int(value), UTC)
        except (OverflowError, ValueError, OSError):
            when = None
    if when is None:
        return "try again in a few minutes"
    seconds = max(0, round(when.timestamp() - now.timestamp()))
    return f"try again after {when.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC (in {seconds} s)"


def _hide(text: str, service: Service) -> str:
    return text.replace(service.secret, "***") if service.secret else text
