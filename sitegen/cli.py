"""The `sitegen` command: argument parsing only; the work is done by the pipeline's stages."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

from . import __version__
from .build import BuildOptions, build, build_clock
from .config import load_config
from .content import read_source_text, slug_problem
from .errors import BuildError, InternalError, SourceError, UnfinishedUpdate, processing
from .progress import Progress
from .text import slugify

ISSUES_URL = "https://github.com/sitegen/sitegen/issues"
DEBUG_ENV = "SITEGEN_DEBUG"
"""Set to 1 to see the Python traceback of an internal error (like --debug)."""
INTERNAL_ERROR = 70
"""Exit status of an internal error (EX_SOFTWARE): a bug in sitegen, where 1 is a mistake in the site."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    debug = bool(getattr(args, "debug", False)) or os.environ.get(DEBUG_ENV, "") not in ("", "0")
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("\nsitegen: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours must still end in a clear message, not a traceback
        print(internal_error_report(exc, getattr(args, "source", None), debug=debug), file=sys.stderr)
        return INTERNAL_ERROR


def internal_error_report(exc: Exception, root: Path | None, *, debug: bool = False) -> str:
    """What an unexpected exception prints: the file being processed, a request to report it, and the traceback
    only when asked for."""
    if not isinstance(exc, InternalError):
        exc = InternalError(exc, None, "running")
    lines = [exc.format(root),
             f"This is a bug in sitegen {__version__}, not a mistake in your site. Please report it at {ISSUES_URL}",
             "with this message (and the file named above, if you can share it)."]
    if debug:
        lines.append(exc.trace)
    else:
        lines.append(f"Run again with --debug (or {DEBUG_ENV}=1) to see the Python traceback.")
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sitegen", description="A static site generator for professional blogs, "
                                     "right-to-left first.")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    parser.add_argument("--debug", action="store_true", help=f"show the Python traceback of an internal error "
                        f"(or set {DEBUG_ENV}=1)")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    b = commands.add_parser("build", help="build the site into public/", description="Build the site.")
    _source_arg(b)
    b.add_argument("--output", "-o", type=Path, help="output folder (default: public/ in the site's root)")
    b.add_argument("--drafts", action="store_true", help="include posts marked draft: true")
    b.add_argument("--future", action="store_true", help="include posts dated in the future")
    b.add_argument("--strict", action="store_true", help="fail on warnings too (such as broken links)")
    b.add_argument("--profile", action="store_true", help="print where the time went, stage by stage")
    b.add_argument("--no-cache", action="store_true", help="ignore .sitegen-cache/ and render everything")
    b.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes (default: one per core)")
    b.set_defaults(run=_build)

    s = commands.add_parser("serve", help="preview the site, reloading the browser on every edit",
                            description="Build the site in memory, serve it, and show every edit in the open "
                            "browser. Drafts and future posts are included.")
    _source_arg(s)
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--port", "-p", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    s.add_argument("--no-drafts", action="store_true", help="hide drafts")
    s.add_argument("--navigate", action="store_true", help="open tabs follow you to the post you just saved")
    s.add_argument("--open", action="store_true", help="open the site in the web browser")
    s.set_defaults(run=_serve)

    n = commands.add_parser("new", help="create a post with its front matter filled in",
                            description="Create a new post (a draft) in content/posts/.")
    _source_arg(n)
    n.add_argument("title", help="the post's title, e.g. \"عنوان المقال\"")
    n.add_argument("--slug", help="URL slug (default: made from the title)")
    n.add_argument("--page", action="store_true", help="create a standalone page in content/pages/ instead")
    n.set_defaults(run=_new)

    i = commands.add_parser("import", help="convert plain text, Jekyll or Hugo files into posts",
                            description="Convert articles (plain text, Markdown with Jekyll/Hugo front matter) "
                            "into sitegen posts in content/posts/. Review the result by hand.")
    _source_arg(i)
    i.add_argument("files", nargs="+", type=Path, metavar="FILE")
    i.add_argument("--force", action="store_true", help="overwrite posts that already exist")
    i.set_defaults(run=_import)
    return parser


def _source_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", "-s", type=Path, default=Path("."), help="the site's root folder (default: .)")
    parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the Python traceback of an internal error")


def _build(args: argparse.Namespace) -> int:
    root: Path = args.source
    output = args.output or root / "public"
    options = BuildOptions(source=root, output=output, drafts=args.drafts, future=args.future, strict=args.strict,
                           use_cache=not args.no_cache, workers=args.jobs)
    progress = _progress()
    try:
        result = build(options, progress)
    except BuildError as failure:
        _report(failure.diagnostics, root)
        errors = len([d for d in failure.diagnostics if d.severity == "error"])
        count = errors or len(failure.diagnostics)
        strict = "" if errors else " (warnings fail the build with --strict)"
        state = "was left as it was"
        if isinstance(failure, UnfinishedUpdate):
            state = "holds part of the new site; the next build finishes the update"
        print(f"build failed with {count} problem{'s' if count != 1 else ''}{strict}; {_shown(output)} {state}",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\nsitegen: interrupted; {_shown(output)} holds a whole site, the previous one or (if the build had "
              "finished) the new one", file=sys.stderr)
        return 130
    finally:
        progress.close()
    _report(list(result.warnings), root)
    unchanged = result.pages - result.rendered
    print(f"built {result.pages} pages ({result.files} files) in {result.seconds:.2f} s -> {_shown(output)}"
          + (f"; {unchanged} unchanged pages carried over" if unchanged > 0 else ""))
    if args.profile:
        for stage, seconds in result.timings.items():
            print(f"  {stage:<24} {seconds:8.3f} s")
    return 0


def _progress() -> Progress:
    """A progress bar when standard error is a terminal; silence otherwise (CI logs, pipes)."""
    if sys.stderr.isatty() and not os.environ.get("CI"):
        from .progress import BarProgress

        return BarProgress()
    return Progress()


def _serve(args: argparse.Namespace) -> int:
    from .serve import run_preview

    def out(line: str) -> None:
        print(line, flush=True)

    def err(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    try:
        return run_preview(args.source, args.host, args.port, drafts=not args.no_drafts, navigate=args.navigate,
                           open_browser=args.open, out=out, err=err)
    except OSError as exc:
        print(f"sitegen: {exc}", file=sys.stderr)
        return 1


def _new(args: argparse.Namespace) -> int:
    root: Path = args.source
    config, errors = load_config(root)
    if errors:
        _report(errors, root)
        return 1
    slug = args.slug or slugify(args.title)
    if not slug:
        print("sitegen: cannot make a slug from that title; pass --slug", file=sys.stderr)
        return 1
    if problem := slug_problem(slug):
        print(f"sitegen: {problem}; pass another --slug", file=sys.stderr)
        return 1
    folder = root / "content" / ("pages" if args.page else "posts")
    path = folder / f"{slug}.md"
    if path.exists():
        print(f"sitegen: {_shown(path)} already exists", file=sys.stderr)
        return 1
    now = build_clock().astimezone(config.zone).replace(microsecond=0)
    front = {"title": args.title, "date": now.isoformat(), "description": "", "tags": [], "draft": True}
    if args.page:
        front = {"title": args.title, "description": ""}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(_front_matter(front) + "\n", encoding="utf-8")
    except OSError as exc:
        print(f"sitegen: cannot write {_shown(path)}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"created {_shown(path)}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from .importer import convert_document, render_post_file

    root: Path = args.source
    folder = root / "content" / "posts"
    folder.mkdir(parents=True, exist_ok=True)
    failed = 0
    for file in args.files:
        try:
            text, problems = read_source_text(file.read_bytes(), file)
        except OSError as exc:
            text, problems = None, [SourceError(file, f"cannot read: {exc.strerror or exc}")]
        _report(problems, root)
        if text is None:
            failed += 1
            continue
        with processing(file, "importing"):
            post = convert_document(text, file.name)
        dest = folder / f"{post.slug}.md"
        if problem := slug_problem(post.slug):
            _report([SourceError(file, problem, hint="give the post a shorter title")], root)
            failed += 1
            continue
        if dest.exists() and not args.force:
            _report([SourceError(file, f"{_shown(dest)} already exists", hint="pass --force to overwrite it")], root)
            failed += 1
            continue
        try:
            dest.write_text(render_post_file(post), encoding="utf-8")
        except OSError as exc:
            _report([SourceError(dest, f"cannot write: {exc.strerror or exc}")], root)
            failed += 1
            continue
        print(f"{file} -> {_shown(dest)}")
        _report([SourceError(dest, w, severity="warning") for w in post.warnings], root)
    return 1 if failed else 0


def _front_matter(values: dict[str, object]) -> str:
    return "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=False) + "---\n"


def _report(diagnostics: list[SourceError], root: Path) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(root), file=sys.stderr)


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return path.as_posix()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
