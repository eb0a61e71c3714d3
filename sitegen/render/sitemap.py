"""sitemap.xml and robots.txt."""

from __future__ import annotations

import html

from ..site.model import Site
from ..site.urls import absolute_url


def render_sitemap(site: Site, urls: list[str]) -> bytes:
    """sitemaps.org XML listing every page, posts with their last change."""
    modified = {p.url: (p.updated or p.date) for p in (*site.posts, *site.pages)}
    rows = []
    for url in urls:
        stamp = modified.get(url)
        lastmod = f"<lastmod>{stamp.date().isoformat()}</lastmod>" if stamp else ""
        rows.append(f"  <url><loc>{html.escape(absolute_url(site.config, url), quote=False)}</loc>{lastmod}</url>")
    body = "\n".join(rows)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}\n</urlset>\n').encode()


def render_robots(site: Site) -> bytes:
    """Crawlers are welcome and pointed at the sitemap; a site kept out of search engines (`noindex`, a preview
    deploy) turns every crawler away."""
    if site.config.noindex:
        return b"User-agent: *\nDisallow: /\n"
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(site.config, '/sitemap.xml')}\n".encode()
