"""`sitegen import`: a whole blog from Jekyll, Hugo, Pelican, Eleventy or a WordPress export brought in with every
old URL kept, or single articles in raw shapes (plain text, Markdown with front matter) converted into posts.

Whatever it writes is then loaded as `sitegen build` loads a site: what the build would reject is reported here,
not at the next build.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from ..build.load import SiteOptions, load_site
from ..errors import BuildError, SourceError, processing
from ..migrate.detect import GENERATORS, detect_generator
from ..migrate.model import Entry, Note, OldBlog
from ..migrate.write import ImportPlan, plan_import, write_plan
from ..preview.model import MemoryParser
from ..sources.config import find_config, load_config
from ..sources.decode import read_source_text
from ..sources.importer import convert_document
from . import report, shown


def run(args: argparse.Namespace) -> int:
    root: Path = args.source
    sources: list[Path] = args.files
    generator = args.generator or (detect_generator(sources[0]) if len(sources) == 1 else None)
    if generator is None and len(sources) == 1 and sources[0].is_dir():
        report([SourceError(sources[0], "cannot tell which generator made this blog",
                            hint=f"name it: --from {'|'.join(GENERATORS)}")], root)
        return 1
    with processing(sources[0], "importing"):
        blog = read_blog(generator, sources[0], args.uploads) if generator else read_articles(sources)
    config = None
    if find_config(root) is not None:
        config, errors = load_config(root)
        if any(e.severity == "error" for e in errors):
            report(errors, root)
            return 1
    plan, config = plan_import(blog, root, config)
    notes = list(plan.notes)
    if not args.dry_run:
        notes += write_plan(plan, root, force=args.force)
    report([_diagnostic(note) for note in notes], root)
    print(summary(plan, root, args.dry_run, len(notes)))
    failed = plan.counts["refused"] > 0 or any(note.severity == "error" for note in notes)
    if not args.dry_run and not _builds(root):
        failed = True
    return 1 if failed else 0


def read_blog(generator: str, source: Path, uploads: Path | None) -> OldBlog:
    """The old blog at `source`, read by its generator's reader (each loaded only when asked for)."""
    module = importlib.import_module(f"sitegen.migrate.{generator}")
    reader = getattr(module, f"read_{generator}")
    blog: OldBlog = reader(source, uploads) if generator == "wordpress" else reader(source)
    return blog


def read_articles(files: list[Path]) -> OldBlog:
    """Single articles (plain text copied from a page, or Markdown with front matter) as posts of a blog."""
    entries, notes = [], []
    for file in files:
        try:
            text, problems = read_source_text(file.read_bytes(), file)
        except OSError as exc:
            text, problems = None, [SourceError(file, f"cannot read: {exc.strerror or exc}")]
        notes += [Note(p.path, p.message, p.line, p.column, "error" if p.severity == "error" else "warning")
                  for p in problems]
        if text is None:
            continue
        with processing(file, "importing"):
            post = convert_document(text, file.name)
        entries.append(Entry(file, "posts", post.slug, dict(post.front_matter), post.body, (),
                             notes=tuple(Note(file, warning) for warning in post.warnings)))
    return OldBlog("articles", files[0].parent if files else Path("."), tuple(entries), notes=tuple(notes))


def summary(plan: ImportPlan, root: Path, dry_run: bool, attention: int) -> str:
    """'imported from jekyll: 12 posts (2 drafts), 3 pages, ...' and how many notes need the author."""
    counts = plan.counts
    parts = [f"{counts['posts']} posts" + (f" ({counts['drafts']} drafts)" if counts["drafts"] else ""),
             f"{counts['pages']} pages", f"{counts['files']} files copied", f"{counts['redirects']} redirects",
             f"{counts['replies']} replies"]
    if counts["missing"]:
        parts.append(f"{counts['missing']} files missing")
    if counts["refused"]:
        parts.append(f"{counts['refused']} not imported")
    verb = "would import" if dry_run else "imported"
    tail = f"; {attention} notes above need your attention" if attention else ""
    return f"{verb} from {plan.generator} into {shown(root)}: {', '.join(parts)}{tail}"


def _builds(root: Path) -> bool:
    """Load the site as `sitegen build` does (drafts and future posts too); print what it would reject."""
    try:
        load_site(SiteOptions(root, drafts=True, future=True), MemoryParser(workers=1, use_cache=False))
    except BuildError as error:
        report(error.diagnostics, root)
        return False
    return True


def _diagnostic(note: Note) -> SourceError:
    return SourceError(note.path, note.message, note.line, note.column, severity=note.severity)
