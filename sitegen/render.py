"""Rendering the Site to output files: pages through templates, feeds, sitemap, robots.txt, static files."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import jinja2

from .errors import SourceError
from .feeds import render_feeds
from .markdown import pygments_css
from .site import Site, paginate
from .templates import Theme, absolute_url, template_error
from .text import text_direction


@dataclass(slots=True)
class Output:
    """What a build writes: generated files by output path, and files copied as they are."""

    files: dict[str, bytes] = field(default_factory=dict)
    copies: dict[str, Path] = field(default_factory=dict)
    errors: list[SourceError] = field(default_factory=list)

    @property
    def paths(self) -> set[str]:
        return set(self.files) | set(self.copies)


def url_to_path(url: str) -> str:
    """'/posts/x/' -> 'posts/x/index.html'; '/feed.xml' -> 'feed.xml'."""
    path = url.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def render_site(site: Site, env: jinja2.Environment, theme: Theme) -> Output:
    """Render every page of the site; template errors are collected once per template location."""
    out = Output()
    renderer = _Renderer(site, env, out)
    config = site.config
    for pager in paginate(site.posts, config.posts_per_page, "/"):
        renderer.page("index.html", pager.url, title=config.title, pager=pager)
    for post in (*site.posts, *site.pages):
        template = post.doc.template or ("post.html" if post.kind == "posts" else "page.html")
        renderer.page(template, post.url, title=post.title,
                      description=post.description, lang=post.lang, post=post)
        _copy_bundle(post.doc.source.bundle, post.doc.path, post.url, out)
    renderer.page("tags.html", "/tags/", title=None)
    for tag in site.tags:
        for pager in paginate(tag.posts, config.posts_per_page, tag.url):
            renderer.page("tag.html", pager.url, title=tag.name, tag=tag, pager=pager)
    renderer.page("archive.html", "/archive/", title=None)
    renderer.page("404.html", "/404.html", title=None)
    out.files.update(render_feeds(site))
    out.files["sitemap.xml"] = render_sitemap(site, sorted(u for u in renderer.urls if u != "/404.html"))
    out.files["robots.txt"] = render_robots(site)
    out.files["highlight.css"] = pygments_css().encode()
    for static in [*theme.static_dirs, config.root / "static"]:
        _copy_tree(static, out)
    return out


@dataclass(slots=True)
class _Renderer:
    site: Site
    env: jinja2.Environment
    out: Output
    urls: list[str] = field(default_factory=list)
    seen_errors: set[tuple[str, int | None, str]] = field(default_factory=set)

    def page(self, template: str, url: str, *, title: str | None, description: str | None = None,
             lang: str | None = None, **values: Any) -> None:
        lang = lang or self.site.config.language
        context = dict(site=self.site, url=url, title=title, description=description or self.site.config.description,
                       lang=lang, dir=text_direction(lang), canonical=absolute_url(self.site.config, url), **values)
        try:
            html = self.env.get_template(template).render(context)
        except Exception as exc:  # any template failure becomes a located diagnostic
            error = template_error(exc, template)
            post = values.get("post")
            if isinstance(exc, jinja2.TemplateNotFound) and exc.name == template and post and post.doc.template:
                error = replace(error, path=post.doc.path)  # the document that asked for the template
            key = (error.path.as_posix(), error.line, error.message)
            if key not in self.seen_errors:
                self.seen_errors.add(key)
                self.out.errors.append(error)
            return
        self.out.files[url_to_path(url)] = html.encode("utf-8")
        self.urls.append(url)


def render_sitemap(site: Site, urls: list[str]) -> bytes:
    """sitemaps.org XML listing every page, posts with their last change."""
    modified = {p.url: (p.updated or p.date) for p in (*site.posts, *site.pages)}
    rows = []
    for url in urls:
        stamp = modified.get(url)
        lastmod = f"<lastmod>{stamp.date().isoformat()}</lastmod>" if stamp else ""
        rows.append(f"  <url><loc>{escape(absolute_url(site.config, url))}</loc>{lastmod}</url>")
    body = "\n".join(rows)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}\n</urlset>\n').encode()


def render_robots(site: Site) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(site.config, '/sitemap.xml')}\n".encode()


def _copy_bundle(bundle: Path | None, index: Path, url: str, out: Output) -> None:
    if bundle is None:
        return
    prefix = url_to_path(url).rsplit("/", 1)[0]
    for file in sorted(bundle.rglob("*")):
        if file.is_file() and file != index and not file.name.startswith("."):
            out.copies[f"{prefix}/{file.relative_to(bundle).as_posix()}"] = file


def _copy_tree(folder: Path, out: Output) -> None:
    if not folder.is_dir():
        return
    for file in sorted(folder.rglob("*")):
        if file.is_file() and not file.name.startswith("."):
            out.copies[file.relative_to(folder).as_posix()] = file
