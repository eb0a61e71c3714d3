"""The one road from sources to a plan: configuration -> theme -> sources -> the assembled site -> routes -> plan,
with every check. `sitegen build` and the preview both load a site through `load_site`, so whatever the build
refuses, the preview refuses with the same diagnostics."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from ..errors import Diagnostics, SourceError, processing
from ..incremental.parse import ParsedSources
from ..output.checks import check_output_dir
from ..progress import Stopwatch
from ..render.cards import load_card_style
from ..render.plan import Plan, plan_site
from ..site.assemble import assemble_site
from ..site.links import check_links
from ..site.model import Site
from ..site.posts import is_published, marked_scheduled
from ..site.routes import RouteMemo, claim_routes
from ..sources.config import Config, load_config
from ..sources.discover import discover_static
from ..sources.mentions import load_mentions
from ..sources.replies import load_replies
from ..sources.theme import ShareImage, Theme, Translations, find_theme, load_share_image, load_translations
from .deploy import Deployment, deployed_config


@dataclass(frozen=True, slots=True)
class SiteOptions:
    """Which site to load and which of its posts to publish."""

    source: Path
    drafts: bool = False
    future: bool = False
    now: datetime | None = None
    """The build's clock; defaults to $SOURCE_DATE_EPOCH or the current time."""
    deployment: Deployment = field(default_factory=Deployment)
    """Where the site will be served, when not where the configuration says; a preview publishes drafts and future
    posts."""


class SourceParser(Protocol):
    """Finds and parses a site's content files: from the build cache and worker processes (`sitegen build`), or
    from what the preview keeps in memory."""

    def __call__(self, config: Config) -> ParsedSources: ...


@dataclass(frozen=True, slots=True)
class LoadedSite:
    """A site ready to render: its configuration, theme, data and plan, and the warnings found on the way."""

    config: Config
    theme: Theme
    translations: Translations
    share_image: ShareImage | None
    site: Site
    plan: Plan
    post_keys: Mapping[Path, bytes]
    """Each source's key (what its pages are made from: its path and bytes, the configuration and sitegen)."""
    warnings: tuple[SourceError, ...]
    parsed: int = 0
    """How many sources were parsed (the others were known already)."""


def load_site(options: SiteOptions, parse: SourceParser, *, output: Path | None = None,
              clock: Stopwatch | None = None, memo: RouteMemo | None = None) -> LoadedSite:
    """Load the site at `options.source` through every check; raise BuildError with every problem found. `output`,
    when given, is the folder a build will write (checked to be one sitegen may replace); `memo`, what the last load
    made of the posts that did not change (the preview's)."""
    clock = clock or Stopwatch({})
    diagnostics = Diagnostics()
    root = options.source
    with clock("configuration"), processing(root / "sitegen.yaml", "reading"):
        config, config_errors = load_config(root)
        config = deployed_config(config, options.deployment)
        diagnostics.extend(config_errors)
        if output is not None and (error := check_output_dir(output, root)):
            diagnostics.add(error)
        theme, theme_errors = find_theme(config)
        diagnostics.extend(theme_errors)
        diagnostics.raise_if_errors()
        translations, translation_errors = load_translations(theme)
        diagnostics.extend(translation_errors)
        diagnostics.raise_if_errors()
    with clock("parsing"):
        parsed = parse(config)
        diagnostics.extend(parsed.problems)
        for _post, errors in parsed.results:
            diagnostics.extend(errors)
        replies, reply_errors = load_replies(root, config.zone)
        diagnostics.extend(reply_errors)
        mentions, mention_errors = load_mentions(root)
        diagnostics.extend(mention_errors)
        diagnostics.raise_if_errors()
    with clock("assembling"), processing(None, "assembling the site"):
        now = options.now or build_clock()
        preview = options.deployment.preview
        posts = [marked_scheduled(post, now) for post, _ in parsed.results
                 if post is not None and is_published(post, now, drafts=options.drafts or preview,
                                                      future=options.future or preview)]
        slugs = {post.slug for post, _ in parsed.results if post is not None and post.kind == "posts"}
        upcoming = [] if options.future or preview else [  # left out until a build after their date
            post for post, _ in parsed.results if post is not None and post.kind == "posts" and post.date is not None
            and post.date > now and is_published(post, now, drafts=options.drafts, future=True)]
        site, site_problems = assemble_site(config, posts, replies, slugs, mentions, upcoming, now)
        diagnostics.extend(site_problems)
        static = discover_static([*theme.static_dirs, root / "static"], [root, *theme.folders])
        diagnostics.extend(static.problems)
        redirects = static.redirects is not None or any(p.aliases for p in (*site.posts, *site.pages))
        routes, route_errors = claim_routes(site, static.files, redirects=redirects, memo=memo)
        diagnostics.extend(route_errors)
        diagnostics.raise_if_errors()
        card_style, card_errors = load_card_style(theme.folders)
        diagnostics.extend(card_errors)
        diagnostics.raise_if_errors()
        plan = plan_site(site, routes, static.redirects, card_style)
        diagnostics.extend(check_links(site, routes.paths, memo))
    return LoadedSite(config, theme, translations, load_share_image(config, theme), site, plan,
                      parsed.keys, tuple(diagnostics.items), parsed.parsed)


def build_clock() -> datetime:
    """Now, or the reproducible-builds clock `SOURCE_DATE_EPOCH` when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(UTC)
