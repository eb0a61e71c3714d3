"""The build pipeline: discover -> parse -> assemble the Site -> render -> write."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from markdown_it import MarkdownIt

from .config import Config, load_config
from .content import SourceFile, discover_sources, load_document
from .errors import BuildError, Diagnostics, SourceError, processing
from .markdown import create_parser, render_markdown
from .output import check_output_dir, check_output_paths, write_output
from .render import Output, render_site, url_to_path
from .site import Post, Site, assemble_site, find_url_collisions, is_published, make_post
from .templates import create_environment, find_theme


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What the `build` command was asked to do."""

    source: Path
    output: Path
    drafts: bool = False
    future: bool = False
    strict: bool = False
    """Treat warnings (such as broken links) as errors."""
    now: datetime | None = None
    """The build's clock; defaults to $SOURCE_DATE_EPOCH or the current time."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    pages: int
    """HTML pages written."""
    files: int
    """All files written."""
    seconds: float
    warnings: tuple[SourceError, ...]


def build_clock() -> datetime:
    """Now, or the reproducible-builds clock `SOURCE_DATE_EPOCH` when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(UTC)


def build(options: BuildOptions) -> BuildResult:
    """Build the site; raise BuildError with every problem found, leaving the old output untouched."""
    started = time.perf_counter()
    diagnostics = Diagnostics()
    _site, output = generate(options, diagnostics)
    if options.strict and diagnostics.warnings:
        raise BuildError(diagnostics.items)
    with processing(options.output, "writing"):
        write_output(output, options.output)
    pages = sum(1 for path in output.files if path.endswith(".html"))
    return BuildResult(pages, len(output.paths), time.perf_counter() - started, tuple(diagnostics.warnings))


def generate(options: BuildOptions, diagnostics: Diagnostics) -> tuple[Site, Output]:
    """Everything but writing: the site and its output files in memory."""
    root = options.source
    with processing(root / "sitegen.yaml", "reading"):
        config, config_errors = load_config(root)
    diagnostics.extend(config_errors)
    if error := check_output_dir(options.output, root):
        diagnostics.add(error)
    theme, theme_errors = find_theme(config)
    diagnostics.extend(theme_errors)
    posts = load_posts(config, options, diagnostics)
    diagnostics.raise_if_errors()
    with processing(None, "rendering the site"):
        site = assemble_site(config, posts)
        env = create_environment(config, theme)
        output = render_site(site, env, theme)
    diagnostics.extend(output.errors)
    diagnostics.extend(check_output_paths(output))
    diagnostics.raise_if_errors()
    diagnostics.extend(check_links(site, output))
    return site, output


ParseCache = dict[Path, tuple["Post | None", list[SourceError]]]
"""Parsed sources by path, kept by the preview between rebuilds; the watcher removes what changed."""


def load_posts(config: Config, options: BuildOptions, diagnostics: Diagnostics,
               cache: ParseCache | None = None, sources: list[SourceFile] | None = None) -> list[Post]:
    """Read, validate and render every source (or take it from `cache`); drafts and future posts are dropped
    unless asked for."""
    now = options.now or build_clock()
    md = create_parser()
    posts: list[Post] = []
    for source in discover_sources(config.root) if sources is None else sources:
        if cache is not None and source.path in cache:
            post, errors = cache[source.path]
        else:
            post, errors = parse_source(source, config, md)
            if cache is not None:
                cache[source.path] = (post, errors)
        diagnostics.extend(errors)
        if post is not None and is_published(post, now, drafts=options.drafts, future=options.future):
            posts.append(post)
    diagnostics.extend(find_url_collisions(_claims(posts), config.root))
    return posts


def parse_source(source: SourceFile, config: Config, md: MarkdownIt) -> tuple[Post | None, list[SourceError]]:
    """One source file to a post: front matter validated, Markdown rendered."""
    with processing(source.path, "reading"):
        document, errors = load_document(source, config.zone)
        if document is None:
            return None, errors
        rendered = render_markdown(document.body, md, title=document.title)
        if rendered.too_deep_at is not None:
            return None, [*errors, SourceError(
                document.path, "lists or quotes nest too deeply here; what lies deeper would be lost",
                document.body_line + rendered.too_deep_at - 1, hint="nest them less deeply (at most 49 lists or 99 "
                "quotes)")]
        return make_post(document, rendered, config), errors


def _claims(posts: list[Post]) -> list[tuple[str, Path, str]]:
    claims = [(p.url, p.doc.path, "the URL") for p in posts]
    claims += [("/" + alias.strip("/") + "/", p.doc.path, "the alias") for p in posts for alias in p.aliases]
    return claims


def check_links(site: Site, output: Output) -> list[SourceError]:
    """Warn about links and images in posts that point at no page or file of this site."""
    paths = output.paths
    warnings = []
    for post in (*site.posts, *site.pages):
        for link in post.links:
            target = urlsplit(urljoin(f"https://site{post.url}", link.target))
            if target.netloc != "site" or urlsplit(link.target).scheme:
                continue
            path = unquote(target.path).lstrip("/")
            if not path and not target.path.startswith("/"):
                continue
            if url_to_path("/" + path) not in paths and path not in paths:
                what = "image" if link.is_image else "link"
                warnings.append(SourceError(
                    post.doc.path, f"{what} to {link.target} leads to no page or file of this site",
                    post.doc.body_line + link.line - 1, severity="warning",
                    hint="fix the address, or remove the link"))
    return warnings

