"""An old blog made sitegen content: each post and page a Markdown file the build accepts, every old URL an alias,
every file it uses copied, every approved comment a reply, and what needs the author listed.

Planning is separate from writing: `plan_import` works out every file in memory and validates each post with the
build's own parser (fixing what it can, refusing what it cannot), so `write_plan` only puts files in place.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import yaml

from ..errors import SourceError
from ..site.urls import post_url
from ..sources.config import CONFIG_NAMES, Config, parse_config
from ..sources.discover import SourceFile
from ..sources.document import Document, parse_document, slug_problem
from ..sources.importer import code_lines
from ..sources.language import detect_language
from ..sources.replies import parse_reply
from ..sources.yamlio import parse_yaml_mapping
from ..text import slugify
from .model import Entry, ImportedReply, Note, OldBlog

FRONT_ORDER = ("title", "date", "updated", "description", "tags", "lang", "draft", "author", "image",
               "slug", "aliases")
"""sitegen's keys first, in the order an author reads them; the old blog's other keys follow as they were."""
RESERVED_PAGE_SLUGS = frozenset({"tags", "archive", "follow", "thanks", "posts", "page", "series", "search", "pagefind",
                                "_immutable"})
"""Top folders sitegen's own pages use: a page of the old blog with one of these slugs gets another."""
PERMALINKS = ("/posts/{slug}/", "/{year}/{month}/{day}/{slug}/", "/{year}/{month}/{slug}/", "/{year}/{slug}/",
              "/blog/{slug}/", "/{slug}/")
"""Patterns a new site may take, so a blog whose old URLs all fit one keeps them exactly (no redirect at all)."""
_FIXABLE_ATTEMPTS = 8
SITEGEN_PATHS = frozenset({"/", "/404.html", "/tags", "/archive", "/follow", "/thanks", "/search", "/feed.xml",
                           "/atom.xml", "/feed.json", "/sitemap.xml", "/robots.txt", "/highlight.css", "/_redirects",
                           "/card.png", "/sitegen-schedule.json"})
"""Paths sitegen's own pages and files take (as `_key` has them): an old URL there cannot redirect."""
SITEGEN_FOLDERS = ("/page/", "/tags/", "/thanks/", "/series/", "/pagefind/", "/_immutable/")


@dataclass(frozen=True, slots=True)
class Planned:
    """One file the import writes, relative to the site's root: text to write, or a file to copy."""

    path: PurePosixPath
    text: str | None = None
    copy: Path | None = None
    source: Path | None = None
    """The old blog's file it comes from (for messages)."""


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """Every file an import writes, what it counted, and what the author should look at."""

    generator: str
    files: tuple[Planned, ...]
    notes: tuple[Note, ...]
    counts: Counter[str] = field(default_factory=Counter)
    """posts, pages, drafts, files (copied), missing (files), redirects, replies, refused."""


@dataclass(slots=True)
class _Target:
    """An entry on its way to a file: where it goes and what its URL will be."""

    entry: Entry
    folder: PurePosixPath
    """content/posts or content/pages."""
    slug: str
    front: dict[str, object]
    url: str = ""
    notes: list[Note] = field(default_factory=list)


def plan_import(blog: OldBlog, root: Path, config: Config | None
                ) -> tuple[ImportPlan, Config]:
    """Plan the import of `blog` into the site at `root` whose configuration is `config` (None: the site has none
    yet, and one is made from the old blog's settings). Returns the plan and the configuration the site will have."""
    notes: list[Note] = list(blog.notes)
    counts: Counter[str] = Counter()
    files: list[Planned] = []
    targets = _targets(blog.entries, notes)
    for target in targets:
        target.front = _with_language(target)
    if config is None:
        text = new_config_text(blog, targets)
        config, errors = parse_config(text, root / CONFIG_NAMES[0], root)
        files.append(Planned(PurePosixPath(CONFIG_NAMES[0]), text))
        notes += [_note(error) for error in errors]
    zone = config.zone
    valid: list[_Target] = []
    for target in targets:
        document = _validate(target, config)
        if document is None:
            counts["refused"] += 1
            continue
        target.url = post_url(document, config)
        valid.append(target)
    new_urls = _url_map(valid)
    claimed = {_key(t.url): t for t in valid}
    for target in valid:
        aliases = _aliases(target, claimed, notes)
        front = dict(target.front)
        if aliases:
            front["aliases"] = aliases
            counts["redirects"] += len(aliases)
        front = _ordered(front)
        body = rewrite_links(target.entry.body, new_urls)
        bundle = bool(target.entry.assets)
        base = target.folder / target.slug
        path = base / "index.md" if bundle else target.folder / f"{target.slug}.md"
        text = render_document(front, body)
        if _validate_text(text, target, path, config) is None:
            counts["refused"] += 1
            continue
        files.append(Planned(path, text, source=target.entry.source))
        counts[target.entry.kind] += 1
        counts["drafts"] += front.get("draft") is True
        for asset in target.entry.assets:
            if asset.source is None:
                counts["missing"] += 1
                target.notes.append(Note(target.entry.source, f"missing file: {asset.reference or asset.target} "
                                         "(the post links to it; copy it beside the post as " f"{asset.target})"))
            else:
                files.append(Planned(base / asset.target, copy=asset.source, source=target.entry.source))
                counts["files"] += 1
        if target.entry.replies and target.entry.kind == "pages":
            target.notes.append(Note(target.entry.source, f"{len(target.entry.replies)} comments on the page "
                                     f"{target.slug!r} are kept in content/replies/_{target.slug}/: sitegen shows "
                                     "replies under posts only"))
        for reply in target.entry.replies:
            planned = _reply_file(reply, target, zone)
            if planned is not None:
                files.append(planned)
                counts["replies"] += 1
        notes += target.entry.notes
        notes += target.notes
    for asset in blog.static:
        if _key("/" + asset.target) in SITEGEN_PATHS:
            notes.append(Note(asset.source or blog.root, f"{asset.target}: sitegen writes its own; the old one is "
                                                         "not copied"))
        elif asset.source is None:
            counts["missing"] += 1
            notes.append(Note(blog.root, f"missing file: {asset.reference or asset.target}"))
        else:
            files.append(Planned(PurePosixPath("static") / asset.target, copy=asset.source))
            counts["files"] += 1
    return ImportPlan(blog.generator, tuple(files), tuple(notes), counts), config


def _targets(entries: tuple[Entry, ...], notes: list[Note]) -> list[_Target]:
    """Each entry with a slug that is safe and its own within its kind (the old one wherever it can be)."""
    taken: set[str] = set()
    targets = []
    for entry in entries:
        slug = entry.slug.strip()
        problem = slug_problem(slug) if slug else "it has no slug"
        if problem or (entry.kind == "pages" and slug.casefold() in RESERVED_PAGE_SLUGS):
            fixed = slugify(slug) or slugify(str(entry.front.get("title") or "")) or entry.kind[:-1]
            fixed = fixed.encode()[:120].decode(errors="ignore").strip("-") or entry.kind[:-1]
            if entry.kind == "pages" and fixed.casefold() in RESERVED_PAGE_SLUGS:
                fixed = f"{fixed}-page"
            notes.append(Note(entry.source, f"the slug {slug!r} cannot be kept ({problem or 'sitegen uses it'}): "
                                            f"using {fixed!r}; its old URL redirects"))
            slug = fixed
        unique, number = slug, 2
        while f"{entry.kind}/{unique}".casefold() in taken:
            unique, number = f"{slug}-{number}", number + 1
        if unique != slug:
            notes.append(Note(entry.source, f"another post already has the slug {slug!r}: this one is {unique!r}; "
                                            "its old URL redirects"))
        taken.add(f"{entry.kind}/{unique}".casefold())
        folder = PurePosixPath("content") / entry.kind
        front = {key: value for key, value in entry.front.items() if key != "slug"}
        if slugify(unique) != unique:  # the build makes a slug of the file's name: keep this one as it is
            front["slug"] = unique
        targets.append(_Target(entry, folder, unique, front))
    return targets


def _with_language(target: _Target) -> dict[str, object]:
    """The front matter with `lang` detected from the text when the old blog did not say."""
    front = target.front
    if front.get("lang"):
        return front
    lang = detect_language(f"{front.get('title') or ''}\n\n{target.entry.body}")
    return front | {"lang": lang} if lang else front


def new_config_text(blog: OldBlog, targets: list[_Target]) -> str:
    """A `sitegen.yaml` for a site made from the old blog: its title, address, language and author, and the
    permalink pattern all its posts' old URLs fit, if one does (then they keep their URLs exactly)."""
    settings = blog.settings
    langs = Counter(str(t.front["lang"]) for t in targets if t.front.get("lang"))
    language = (settings.get("language") or (langs.most_common(1)[0][0] if langs else "en")).replace("_", "-")
    language = language.split("-")[0].lower() if re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*", language) else "en"
    base_url = settings.get("base_url", "")
    if not re.match(r"https?://[^/\s]+", base_url):
        base_url = "https://example.netlify.app/"
    values: dict[str, object] = {
        "title": settings.get("title") or "My blog",
        "description": settings.get("description") or "",
        "base_url": base_url.rstrip("/") + "/",
        "language": language,
        "timezone": _zone(settings.get("timezone", "")),
        "permalink": _fitting_permalink([t for t in targets if t.entry.kind == "posts"]),
        "author": {"name": settings.get("author") or "Author"},
    }
    values = {key: value for key, value in values.items() if value}
    header = f"# Made by 'sitegen import' (from {blog.generator}). Check each value.\n"
    return header + yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=10**9)


def _zone(name: str) -> str:
    """An IANA time zone name the old blog gave, if this machine knows it ('' otherwise)."""
    try:
        return ZoneInfo(name).key if name else ""
    except (ValueError, OSError, KeyError):
        return ""


def _fitting_permalink(targets: list[_Target]) -> str:
    """The first pattern every post's old URLs include, of the usual ones and of the old URLs' own shapes
    ('/post/x/' gives '/post/{slug}/')."""
    for pattern in dict.fromkeys([*PERMALINKS, *filter(None, map(_shape, targets))]):
        if targets and all(_key(_fill(pattern, t)) in {_key(u) for u in t.entry.old_urls} for t in targets):
            return pattern
    return PERMALINKS[0]


def _shape(target: _Target) -> str | None:
    """The permalink pattern a post's first old URL has: its slug and date parts made fields; None when it is not
    a folder URL ending in the slug."""
    when = target.front.get("date")
    path = _key(target.entry.old_urls[0]) if target.entry.old_urls else ""
    parts = path.strip("/").split("/")
    if not isinstance(when, date) or "?" in path or parts[-1] != target.slug:
        return None
    fields = {f"{when.year:04d}": "{year}", f"{when.month:02d}": "{month}", f"{when.day:02d}": "{day}"}
    shaped = [fields.get(part, part) for part in parts[:-1]]
    if any(re.search(r"[{}\s]", part) for part in shaped if part not in fields.values()):
        return None
    return "/" + "/".join([*shaped, "{slug}"]) + "/"


def _fill(pattern: str, target: _Target) -> str:
    when = target.front.get("date")
    if not isinstance(when, date):
        return ""
    return (pattern.replace("{slug}", target.slug).replace("{year}", f"{when.year:04d}")
            .replace("{month}", f"{when.month:02d}").replace("{day}", f"{when.day:02d}"))


def _validate(target: _Target, config: Config) -> Document | None:
    """Parse the entry as the build will; a key the build rejects is kept under another name (nothing lost) and
    the post parsed again; a post that still fails is refused with the build's errors as notes."""
    path = Path(target.folder / f"{target.slug}.md")
    for _attempt in range(_FIXABLE_ATTEMPTS):
        text = render_document(_ordered(target.front), target.entry.body)
        document, errors = parse_document(text, SourceFile(config.root / path, target.entry.kind), config.zone)
        failing = [e for e in errors if e.severity == "error"]
        if not failing:
            return document
        key = _key_at(text, failing[0].line)
        if key is None or key == "title":
            break
        value = target.front.pop(key)
        kept = f"imported_{key}"
        target.front[kept] = _as_text(value)
        target.notes.append(Note(target.entry.source, f"{failing[0].message}: the value is kept as '{kept}'; "
                                                      f"set '{key}' by hand if it matters"))
    _refuse(target, failing)
    return None


def _validate_text(text: str, target: _Target, path: PurePosixPath, config: Config) -> Document | None:
    """The final file parsed as the build will parse it (aliases and all)."""
    document, errors = parse_document(text, SourceFile(config.root / Path(path), target.entry.kind), config.zone)
    failing = [e for e in errors if e.severity == "error"]
    if document is None or failing:
        _refuse(target, failing)
        return None
    return document


def _refuse(target: _Target, errors: list[SourceError]) -> None:
    target.notes.append(Note(target.entry.source, "not imported: the build would reject it "
                                                  f"({'; '.join(e.message for e in errors)})", severity="error"))


def _key_at(text: str, line: int | None) -> str | None:
    """The top-level front matter key whose value is on file line `line` of `text`."""
    if line is None:
        return None
    front = text.split("\n---\n", 1)[0].removeprefix("---\n")
    doc, _errors = parse_yaml_mapping(front, Path("x"), first_line=2)
    if doc is None:
        return None
    above = [(key_line, key) for key in doc.values if (key_line := doc.line(key)) is not None and key_line <= line]
    return max(above)[1] if above else None


def _as_text(value: object) -> object:
    if isinstance(value, (str, int, float, bool, date)):
        return value if isinstance(value, str) else str(value)
    try:
        return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**9).strip()
    except yaml.YAMLError:
        return str(value)


def _key(url: str) -> str:
    """A site path compared as a server compares it: decoded, without 'index.html' or a trailing slash."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    path = re.sub(r"/index\.html?$", "/", path)
    path = "/" + path.strip("/")
    return f"{path}?{parts.query}" if parts.query else path


def _url_map(targets: list[_Target]) -> dict[str, str]:
    """Each old URL (as `_key` has it) -> the new URL of the post that lived there."""
    urls: dict[str, str] = {}
    for target in targets:
        for old in target.entry.old_urls:
            urls.setdefault(_key(old), target.url)
    return urls


def _aliases(target: _Target, claimed: dict[str, _Target], notes: list[Note]) -> list[str]:
    """The old URLs (and aliases the old blog already had) that are not the post's new URL nor another's."""
    own = target.front.get("aliases")
    given = [str(a) for a in own] if isinstance(own, list) else []
    aliases: dict[str, str] = {}
    for url in (*target.entry.old_urls, *given):
        clean = url.strip()
        if not clean.startswith("/"):
            clean = "/" + clean
        key = _key(clean)
        other = claimed.get(key)
        if other is target or key in aliases:
            continue
        if key in SITEGEN_PATHS or key.startswith(SITEGEN_FOLDERS):
            notes.append(Note(target.entry.source, f"its old URL {clean} is sitegen's own page now: no redirect "
                                                   "from it"))
            continue
        if other is not None:
            notes.append(Note(target.entry.source, f"its old URL {clean} is now the URL of {other.entry.source.name}"
                                                   ": no redirect from it"))
            continue
        aliases[key] = clean
    return list(aliases.values())


def _ordered(front: dict[str, object]) -> dict[str, object]:
    """sitegen's keys first, in FRONT_ORDER; an image's alt text goes with it (`image: {path: ..., alt: ...}`)."""
    front = dict(front)
    alt = front.pop("image_alt", None)
    if alt and isinstance(front.get("image"), str):
        front["image"] = {"path": front["image"], "alt": alt}
    known = {key: front[key] for key in FRONT_ORDER if front.get(key) not in (None, "", [], ())}
    return known | {key: value for key, value in front.items() if key not in FRONT_ORDER and value is not None}


def render_document(front: dict[str, object], body: str) -> str:
    """Front matter as YAML between `---` lines, then the body."""
    dumped = yaml.safe_dump(_plain(front), allow_unicode=True, sort_keys=False, width=10**9)
    return f"---\n{dumped}---\n\n{body.strip(chr(10))}\n"


def _plain(value: object) -> object:
    """`value` with every part YAML can write as itself (a TOML time or local datetime becomes text)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool, date, datetime)):
        return value
    return str(value)


_LINK_TARGET = re.compile(r"(\]\(\s*<?|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?|\b(?:href|src)=[\"'])([^\s)\"'>]+)",
                          re.MULTILINE)


def rewrite_links(body: str, new_urls: dict[str, str]) -> str:
    """`body` with each link (Markdown or HTML, outside code blocks) to a post's old URL pointing at its new URL;
    the fragment is kept."""
    if not new_urls:
        return body

    def swap(match: re.Match[str]) -> str:
        target = match.group(2)
        parts = urlsplit(target) if "://" not in target[:12] else None
        if parts is None or parts.netloc or not parts.path.startswith("/"):
            return match.group(0)
        new = new_urls.get(_key(target.split("#", 1)[0]))
        if new is None:
            return match.group(0)
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        return match.group(1) + new + fragment

    lines = body.split("\n")
    code = code_lines(lines)
    out = [line if code[i] else _LINK_TARGET.sub(swap, line) for i, line in enumerate(lines)]
    return "\n".join(out)


def _reply_file(reply: ImportedReply, target: _Target, zone: ZoneInfo) -> Planned | None:
    """A reply file as a hand-written one would be; refused (with a note) when the build would reject it."""
    front: dict[str, object] = {"name": " ".join(reply.name.split()) or "Anonymous", "date": reply.date}
    if reply.url and re.match(r"https?://[^\s/]+", reply.url.strip()):
        front["url"] = reply.url.strip()
    elif reply.url and reply.url.strip():
        target.notes.append(Note(target.entry.source, f"comment {reply.id} by {reply.name!r}: its address "
                                 f"{reply.url.strip()!r} is not a web address: left out"))
    if reply.email:
        front["email"] = reply.email.strip()
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", reply.id).strip("-") or "reply"
    folder = target.slug if target.entry.kind == "posts" else f"_{target.slug}"  # a '_' folder is kept, not shown
    path = PurePosixPath("content/replies") / folder / f"{name}.md"
    text = render_document(front, reply.text or "…")
    parsed, errors = parse_reply(text, Path(path), target.slug, zone)
    if parsed is None or any(e.severity == "error" for e in errors):
        target.notes.append(Note(target.entry.source, f"comment {reply.id} by {reply.name!r} not imported: "
                                 + "; ".join(e.message for e in errors if e.severity == "error")))
        return None
    return Planned(path, text, source=target.entry.source)


def _note(error: SourceError) -> Note:
    return Note(error.path, error.message, error.line, error.column,
                "error" if error.severity == "error" else "warning")


def write_plan(plan: ImportPlan, root: Path, *, force: bool) -> list[Note]:
    """Put the planned files in place under `root`; a file that exists is left as it is unless `force`."""
    problems: list[Note] = []
    for planned in plan.files:
        dest = root / Path(planned.path)
        if dest.exists() and not force:
            if planned.copy is not None and _same_file(planned.copy, dest):
                continue
            problems.append(Note(dest, "already exists: left as it is (pass --force to replace it)",
                                 severity="error"))
            continue
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            if planned.text is not None:
                dest.write_text(planned.text, encoding="utf-8")
            elif planned.copy is not None:
                dest.write_bytes(planned.copy.read_bytes())
        except OSError as exc:
            problems.append(Note(dest, f"cannot write it: {exc.strerror or exc}", severity="error"))
    return problems


def _same_file(source: Path, dest: Path) -> bool:
    try:
        return source.read_bytes() == dest.read_bytes()
    except OSError:
        return False
