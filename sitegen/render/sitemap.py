"""sitemap.xml and robots.txt."""

from __future__ import annotations

import html
from collections.abc import Mapping

from ..site.model import Site
from ..site.urls import absolute_url

Alternates = Mapping[str, tuple[tuple[str, str], ...]]
"""Site URL -> (hreflang, site URL) of every version of the page, itself and 'x-default' included."""
XHTML_NS = "http://www.w3.org/1999/xhtml"


def render_sitemap(site: Site, urls: list[str], alternates: Alternates | None = None) -> bytes:
    """sitemaps.org XML listing every page, posts with their last change; a page with versions in other languages
    lists them all as `xhtml:link` alternates, as Google documents
    (https://developers.google.com/search/docs/specialty/international/localized-versions#sitemap)."""
    alternates = alternates or {}
    modified = {p.url: (p.updated or p.date) for p in (*site.posts, *site.pages)}
    rows = []
    for url in urls:
        stamp = modified.get(url)
        lastmod = f"<lastmod>{stamp.date().isoformat()}</lastmod>" if stamp else ""
        links = "".join(f'<xhtml:link rel="alternate" hreflang="{html.escape(code)}" '
                        f'href="{html.escape(absolute_url(site.config, href))}"/>'
                        for code, href in alternates.get(url, ()))
        rows.append(f"  <url><loc>{html.escape(absolute_url(site.config, url), quote=False)}</loc>{lastmod}{links}"
                    "</url>")
    body = "\n".join(rows)
    namespaces = f' xmlns:xhtml="{XHTML_NS}"' if alternates else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{namespaces}>\n{body}\n</urlset>\n').encode()


def render_robots(site: Site) -> bytes:
    """Crawlers are welcome and pointed at the sitemap; a site kept out of search engines (`noindex`, a preview
    deploy) turns every crawler away."""
    if site.config.noindex:
        return b"User-agent: *\nDisallow: /\n"
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(site.config, '/sitemap.xml')}\n".encode()
