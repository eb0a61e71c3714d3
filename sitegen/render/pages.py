"""Rendering one page of the plan through its template; a template failure carries its file and line."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import jinja2

from ..errors import SourceError
from ..site.model import Site
from ..site.routes import PageRoute
from ..site.translations import hreflang_links
from ..site.urls import absolute_url
from ..text import text_direction
from .feeds import feed_links, series_feed_set, site_feed_set, tag_feed_set
from .templates import template_error


def render_page(route: PageRoute, site: Site, env: jinja2.Environment,
                asset_urls: dict[str, str] | None = None) -> str:
    """Render one page; a template failure raises TemplateFailure carrying its file and line.

    `asset_urls` maps '/style.css' to its fingerprinted URL (a build); without it, pages link the plain names.
    """
    lang = route.lang
    site = site.edition(lang)  # with an edition per language, the page sees its own language's
    config = site.config
    context: dict[str, Any] = dict(
        site=site, url=route.url, title=route.title, description=route.description or config.description, lang=lang,
        dir=text_direction(lang), canonical=absolute_url(config, route.url), config=config,
        follow_url=f"{site.prefix}follow/",
        indexed=route.indexed and not config.noindex,
        feeds=feed_links(config, site_feed_set(site)), asset_urls=asset_urls or {},
        translations=route.translations,
        hreflang=tuple((code, absolute_url(config, url)) for code, url in
                       hreflang_links(lang, route.url, route.translations, route.x_default)))
    if route.post is not None:
        context["post"] = route.post
    if route.pager is not None:
        context["pager"] = route.pager
    if route.tag is not None:
        context["tag"] = route.tag
        context["tag_feeds"] = feed_links(config, tag_feed_set(site, route.tag))
    elif route.series is not None:
        context["series"] = route.series
        context["series_feeds"] = feed_links(config, series_feed_set(site, route.series))
    elif route.kind == "follow":
        context["tag_feeds"] = {tag.name: feed_links(config, tag_feed_set(site, tag)) for tag in site.tags}
    try:
        return env.get_template(route.template).render(context)
    except Exception as exc:  # any template failure becomes a located diagnostic
        error = template_error(exc, route.template)
        if isinstance(exc, jinja2.TemplateNotFound) and exc.name == route.template and route.source:
            error = replace(error, path=route.source)  # the document that asked for the template
        raise TemplateFailure(error) from exc


class TemplateFailure(Exception):
    """A page could not be rendered; `error` says where."""

    def __init__(self, error: SourceError) -> None:
        super().__init__(error.message)
        self.error = error
