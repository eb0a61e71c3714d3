"""Rendering the planned pages into the staging folder, in worker processes, skipping pages whose inputs did not
change since the last build."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Diagnostics, SourceError, processing
from ..incremental.digests import BUILD_MARK, manifest_token, page_digests, site_inputs
from ..incremental.store import BuildCache
from ..output.stage import Stage
from ..parallel import map_chunks
from ..progress import Progress
from ..render.fingerprint import fingerprinted_path
from ..render.plan import Plan
from ..sources.theme import theme_fingerprint
from .load import LoadedSite

if TYPE_CHECKING:
    import jinja2


@dataclass(slots=True)
class Written:
    """What a build put in the new site."""

    paths: set[str] = field(default_factory=set)
    digests: dict[str, bytes] = field(default_factory=dict)
    """Output path -> the digest its page was made from, for the next build."""
    pages: int = 0
    rendered: int = 0


def write_site(loaded: LoadedSite, make_env: Callable[[], jinja2.Environment], stage: Stage,
               cache: BuildCache | None, progress: Progress, diagnostics: Diagnostics, output: Path,
               previous: dict[str, bytes], workers: int | None, code: bytes, configuration: bytes) -> Written:
    """Write every file of the plan into `stage`, and the build's mark (incremental.digests.BUILD_MARK); template
    errors go to `diagnostics`, each once. `previous` holds the digest of each file of the previous output (pages and
    generated files), so unchanged ones are kept. `code` and `configuration` are what the sources were keyed with
    (CachedParser.code, .configuration): inputs of every page's digest. The templates' environment is made (by
    `make_env`: Jinja and its compiled templates loaded) only when a page is to be rendered."""
    site, plan = loaded.site, loaded.plan
    written = Written()
    asset_urls = _write_assets(plan, stage, written)
    inputs = site_inputs(code, configuration, theme_fingerprint(loaded.config, loaded.theme), loaded.translations,
                         loaded.share_image, site, asset_urls)
    digests, generated = page_digests(plan, inputs.digest(), loaded.post_keys, inputs.code)
    to_render = [path for path in plan.pages
                 if not (path in previous and previous[path] == digests.get(path) and stage.keep(path))]
    to_make = [path for path in plan.generated
               if not (path in previous and previous[path] == generated.get(path) and stage.keep(path))]
    progress.start("rendering", len(to_render) + len(to_make))
    if to_render:
        from ..render.pages import TemplateFailure, render_page  # Jinja loads only for pages to render

        env = make_env()

    def render_chunk(paths: Sequence[str]) -> list[SourceError | None]:
        """Pages and generated files (feeds, sitemap...), in the same workers: feeds of a site with many tags took
        a third of a cold build at 100 posts, made one after another once the pages were done."""
        results: list[SourceError | None] = []
        for path in paths:
            route = plan.pages.get(path)
            if route is None:
                with processing(Path(path), "writing"):
                    stage.write(path, plan.generated[path]())
                results.append(None)
                continue
            with processing(route.source or Path(path), "rendering"):  # a bug of ours names the page
                try:
                    page = render_page(route, site, env, asset_urls)
                except TemplateFailure as failure:  # a mistake in a template: reported with its line
                    results.append(failure.error)
                    continue
            stage.write(path, page.encode("utf-8"))
            results.append(None)
        return results

    failures = map_chunks(render_chunk, [*to_render, *to_make], workers=workers, on_done=progress.advance)
    seen: set[tuple[str, int | None, str]] = set()
    for path, error in zip(to_render, failures, strict=False):  # generated files report no error of their own
        if error is None:
            continue
        digests.pop(path, None)
        key = (error.path.as_posix(), error.line, error.message)
        if key not in seen:
            seen.add(key)
            diagnostics.add(error)
    digests.update(generated)
    for path, source in plan.copies.items():
        stage.copy(path, source)
    if loaded.config.search and not diagnostics.errors:  # a site that will not be put in place needs no index
        search = _write_search(plan, stage, digests, previous, output, diagnostics)
        digests.update(search)
        written.paths.update(search)
    written.paths.update(plan.pages, plan.generated, plan.copies, [BUILD_MARK])
    written.digests = dict.fromkeys(written.paths, b"") | digests  # every path, so the next build knows the folder
    stage.write(BUILD_MARK, manifest_token(written.digests))
    written.pages = sum(1 for path in written.paths if path.endswith(".html"))
    written.rendered = len(to_render)
    if cache is not None and written.digests != previous:  # the digests are saved once the folder has changed
        changing = [p for p, d in written.digests.items() if previous.get(p) != d]
        gone = previous.keys() - written.digests.keys()  # a file to delete: the next build must not trust the list
        cache.forget_page_digests(output, changing if previous and not gone else None)
    return written


def _write_search(plan: Plan, stage: Stage, digests: dict[str, bytes], previous: dict[str, bytes], output: Path,
                  diagnostics: Diagnostics) -> dict[str, bytes]:
    """The search index of the posts and pages (build.search), as the files written and their digests."""
    from .search import INDEXED_KINDS, write_search_index

    pages = {path: route.post.date.year if route.kind == "post" and route.post and route.post.date else None
             for path, route in plan.pages.items() if route.kind in INDEXED_KINDS}  # a post's year: its part

    def locate(path: str) -> Path | None:
        for folder in (stage.root, stage.previous):
            if folder is not None and (folder / path).is_file():
                return folder / path
        return None

    search = write_search_index(stage, pages, digests, previous, locate, output)
    if search.warning is not None:
        diagnostics.add(search.warning)
    return search.digests


def _write_assets(plan: Plan, stage: Stage, written: Written) -> dict[str, str]:
    """Fingerprinted copies of the stylesheets and scripts; returns '/style.css' -> '/_immutable/style.<hash>.css'."""
    asset_urls = {}
    for path in plan.assets:
        data = plan.generated[path]() if path in plan.generated else plan.copies[path].read_bytes()
        fingerprinted = fingerprinted_path(path, data)
        stage.write(fingerprinted, data)
        written.paths.add(fingerprinted)
        asset_urls["/" + path] = "/" + fingerprinted
    return asset_urls
