"""The `sitegen` command: argument parsing only; each command is a module of `sitegen.commands`."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import DEBUG_ENV, internal_error_report

INTERNAL_ERROR = 70
"""Exit status of an internal error (EX_SOFTWARE): a bug in sitegen, where 1 is a mistake in the site."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "command"):
        parser.print_help()
        return 2
    debug = bool(getattr(args, "debug", False)) or os.environ.get(DEBUG_ENV, "") not in ("", "0")
    args.debug = debug  # one answer for the command too: `serve` reports a rebuild's internal error as main does
    try:
        command = importlib.import_module(f"sitegen.commands.{args.command}")  # only what this command needs
        return int(command.run(args))
    except KeyboardInterrupt:
        print("\nsitegen: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours must still end in a clear message, not a traceback
        print(internal_error_report(exc, getattr(args, "source", None), debug=debug), file=sys.stderr)
        return INTERNAL_ERROR


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sitegen", description="A static site generator for professional blogs, "
                                     "right-to-left first.")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    parser.add_argument("--debug", action="store_true", help=f"show the Python traceback of an internal error "
                        f"(or set {DEBUG_ENV}=1)")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    init = commands.add_parser("init", help="start a new blog in an empty folder",
                               description="Start a new blog: sitegen.yaml, a first post and an about page (drafts), "
                               "netlify.toml and what Netlify needs, .gitignore and a README. On a terminal it asks "
                               "for what the options below say; --yes takes the defaults.")
    init.add_argument("folder", nargs="?", type=Path, default=Path("."), metavar="FOLDER",
                      help="a new or empty folder (default: the current one)")
    init.add_argument("--title", help="the blog's name")
    init.add_argument("--language", help="its language code (default: ar, right-to-left; en, fr...)")
    init.add_argument("--author", help="your name (default: Git's user.name)")
    init.add_argument("--base-url", metavar="URL", help="the address it will be served from, if known")
    init.add_argument("--yes", "-y", action="store_true", help="ask nothing: the options given and the defaults")
    init.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    init.set_defaults(command="init")

    b = commands.add_parser("build", help="build the site into public/", description="Build the site.")
    _source_arg(b)
    b.add_argument("--output", "-o", type=Path, help="output folder (default: public/ in the site's root)")
    b.add_argument("--base-url", metavar="URL", help="the address the site will be served from, instead of "
                   "base_url (on Netlify, a deploy preview's own address is used by itself)")
    b.add_argument("--preview", action="store_true", help="a preview deploy: drafts and future posts included and "
                   "marked as such, every page kept out of search engines (Netlify deploy previews: by itself)")
    b.add_argument("--drafts", action="store_true", help="include posts marked draft: true")
    b.add_argument("--future", action="store_true", help="include posts dated in the future")
    b.add_argument("--strict", action="store_true", help="fail on warnings too (such as broken links)")
    b.add_argument("--profile", action="store_true", help="print where the time went, stage by stage")
    b.add_argument("--no-cache", action="store_true", help="ignore .sitegen-cache/ and render everything")
    b.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes (default: one per core)")
    b.set_defaults(command="build")

    s = commands.add_parser("serve", help="preview the site, reloading the browser on every edit",
                            description="Build the site in memory, serve it, and show every edit in the open "
                            "browser. Drafts and future posts are included.")
    _source_arg(s)
    s.add_argument("--host", default="127.0.0.1", help="address to listen on, and a name the preview answers to "
                   "besides localhost (default: 127.0.0.1, and ::1 where the machine has IPv6)")
    s.add_argument("--port", "-p", type=_port, default=8000, help="port, 0-65535 (default: 8000; 0 picks a free one)")
    s.add_argument("--no-drafts", action="store_true", help="hide drafts")
    s.add_argument("--navigate", action="store_true", help="open tabs follow you to the post you just saved")
    s.add_argument("--open", action="store_true", help="open the site in the web browser")
    s.set_defaults(command="serve")

    n = commands.add_parser("new", help="create a post with its front matter filled in",
                            description="Create a new post (a draft) in content/posts/.")
    _source_arg(n)
    n.add_argument("title", help="the post's title, e.g. \"عنوان المقال\"")
    n.add_argument("--slug", help="URL slug (default: made from the title)")
    n.add_argument("--page", action="store_true", help="create a standalone page in content/pages/ instead")
    n.set_defaults(command="new")

    i = commands.add_parser("import", help="bring in a Jekyll, Hugo, Pelican, Eleventy or WordPress blog, or articles",
                            description="Bring in a blog made elsewhere (its folder, or a WordPress export .xml): "
                            "every post, page, image and approved comment, with a redirect from every old URL. "
                            "Or convert single articles (plain text, Markdown with front matter) into posts. "
                            "Ends with a report of what needs your attention.")
    _source_arg(i)
    i.add_argument("files", nargs="+", type=Path, metavar="SOURCE",
                   help="the old blog's folder, a WordPress export, or article files")
    i.add_argument("--from", dest="generator", choices=("jekyll", "hugo", "pelican", "eleventy", "wordpress"),
                   help="the generator that made the blog (default: worked out from its files)")
    i.add_argument("--uploads", type=Path, help="WordPress: the wp-content/uploads folder, to copy images from")
    i.add_argument("--dry-run", action="store_true", help="report what would be imported; write nothing")
    i.add_argument("--force", action="store_true", help="overwrite files that already exist")
    i.set_defaults(command="importing")
    return parser


def _port(text: str) -> int:
    """A TCP port number from the command line, 0-65535: anything else is a usage error, not a failed bind."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}: a number in the range 0-65535") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is not in the range 0-65535 (0 picks a free one)")
    return port


def _source_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", "-s", type=Path, default=Path("."), help="the site's root folder (default: .)")
    parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the Python traceback of an internal error")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
