"""Link checking: every link and image of a post (in its Markdown, its raw HTML and the front matter's `image:`) that
points into the site must lead to one of its output paths."""

from __future__ import annotations

from collections.abc import Collection

from ..errors import SourceError
from .model import Post, Site
from .routes import RouteMemo, same_post


def check_links(site: Site, paths: Collection[str], memo: RouteMemo | None = None) -> list[SourceError]:
    """Warn about links and images in posts (in their Markdown, their raw HTML and the front matter's `image:`) that
    point at no page or file of this site. `memo` holds what the last check against the same paths found."""
    documents = (*site.posts, *site.pages)
    if memo is None:
        return [warning for post in documents for warning in _check_post_links(post, paths)]
    if memo.paths != paths:
        memo.paths, memo.checked, memo.warnings = frozenset(paths), {}, {}
    checked, before = memo.checked, memo.warnings
    found: dict[str, tuple[SourceError, ...]] = {}
    for post in documents:
        key = post.url
        if same_post(checked.get(key), post):
            if key in before:
                found[key] = before[key]
        elif warnings := _check_post_links(post, paths):
            found[key] = tuple(warnings)
    memo.checked, memo.warnings = {post.url: post for post in documents}, found
    return [warning for warnings in found.values() for warning in warnings]


def _check_post_links(post: Post, paths: Collection[str]) -> list[SourceError]:
    warnings = []
    for local in post.links:
        if any(path in paths for path in local.paths):
            continue
        link = local.link
        line = post.doc.body_line + link.line - 1
        if link.line < 1:  # above the body: the front matter's image
            message = f"image {link.target} in the front matter leads to no page or file of this site"
            hint = "fix 'image:', or add the file (beside the post's index.md, or under static/)"
        else:
            what = "image" if link.is_image else "link"
            message = f"{what} to {link.target} leads to no page or file of this site"
            hint = "fix the address, or remove the link"
            if link.defined_at is not None:
                hint = (f"its address is set by the reference on line {post.doc.body_line + link.defined_at - 1}: "
                        "fix it there, or remove the link")
        warnings.append(SourceError(post.doc.path, message, line, link.column, hint, severity="warning"))
    return warnings
