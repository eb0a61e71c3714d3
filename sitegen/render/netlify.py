"""Netlify's `_redirects` file: a permanent redirect from every alias of a post or page to where it lives now."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlsplit

from ..site.model import Post, Site

# Netlify reads ':name' as a placeholder and '*' as a splat; a literal path must not contain them unencoded.
_PATH_SAFE = "/%-._~!$&'()+,;=@"


@dataclass(frozen=True, slots=True)
class Redirect:
    """One line of `_redirects`: `from [query] to status`."""

    source: str
    """The old path, percent-encoded: '/2019/%D8%B4/'."""
    query: tuple[tuple[str, str], ...]
    """Query parameters the old URL had ('p', '123' for WordPress' '/?p=123'), matched by Netlify as key=value."""
    target: str
    """The post's URL, percent-encoded."""
    status: int = 301
    force: bool = False
    """Redirect even when a file exists at the path ('301!'): needed when only the query tells the URLs apart."""

    def line(self) -> str:
        params = "".join(f" {quote(k, safe='')}={quote(v, safe='')}" for k, v in self.query)
        return f"{self.source}{params} {self.target} {self.status}{'!' if self.force else ''}"


def alias_redirects(site: Site) -> list[Redirect]:
    """A 301 from each alias of each post and page to its URL, in a stable order."""
    redirects = []
    for post in (*site.posts, *site.pages):
        for alias in post.aliases:
            redirects.append(alias_redirect(alias, post))
    return sorted(redirects, key=lambda r: (r.source, r.query))


def alias_redirect(alias: str, post: Post) -> Redirect:
    """'/old/شبكات' -> Redirect('/old/%D8%B4%D8%A8%D9%83%D8%A7%D8%AA/', (), '/posts/x/')."""
    parts = urlsplit(alias.strip())
    path = "/" + parts.path.strip("/")
    if path != "/" and "." not in path.rsplit("/", 1)[-1]:
        path += "/"  # like the pages sitegen writes; Netlify matches it with and without the slash
    query = tuple(parse_qsl(parts.query, keep_blank_values=True))
    return Redirect(quote(path, safe=_PATH_SAFE), query, quote(post.url, safe=_PATH_SAFE), force=bool(query))


def render_redirects(site: Site, existing: str = "") -> bytes:
    """The `_redirects` file: the site's own rules first (the text of `static/_redirects`, if any), then the
    aliases."""
    lines = [redirect.line() for redirect in alias_redirects(site)]
    generated = ("# Aliases of posts and pages, written by sitegen\n" + "\n".join(lines) + "\n") if lines else ""
    own = existing
    if own and not own.endswith("\n"):
        own += "\n"
    return (own + generated).encode("utf-8")
