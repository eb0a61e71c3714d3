"""The `sitegen` command: argument parsing only; each command is a module of `sitegen.commands`."""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import sys
from collections.abc import Iterable, Sequence
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
    except BrokenPipeError:  # what reads the output went away (`sitegen init | head -1`): stop quietly, as cat does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit either
        return 128 + 13  # killed by SIGPIPE, as the shell reports it
    except Exception as exc:  # a bug of ours must still end in a clear message, not a traceback
        print(internal_error_report(exc, getattr(args, "source", None), debug=debug), file=sys.stderr)
        return INTERNAL_ERROR


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sitegen", description="A static site generator for professional blogs, right-to-left first.")
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
    b.add_argument("--jobs", "-j", type=_jobs, metavar="N", help="worker processes, 1 or more (default: one per core)")
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
    _replies_parser(commands)

    st = commands.add_parser("stats", help="the blog's rhythm: posts per month, gaps, words per year, cadence",
                             description="Report the blog's rhythm from the posts a build publishes: posts per "
                             "month, the longest gaps, words and reading time per year, language and tag, and the "
                             "months (or weeks) missed when sitegen.yaml sets cadence: monthly (or weekly).")
    _source_arg(st)
    st.add_argument("--drafts", action="store_true", help="count drafts too")
    st.add_argument("--json", action="store_true", help="print the report as JSON, for scripts")
    st.add_argument("--svg", type=Path, metavar="FILE", help="also write a bar chart of posts per month to FILE")
    st.add_argument("--now", metavar="DATE", help="count as of DATE (YYYY-MM-DD; default: now, or "
                    "$SOURCE_DATE_EPOCH)")
    st.set_defaults(command="stats")
    return parser


def _replies_parser(commands: argparse._SubParsersAction[_Parser]) -> None:
    r = commands.add_parser("replies", help="pull, review and publish readers' replies",
                            description="Readers' replies waiting for you: `pull` fetches the reply form's "
                            "submissions from Netlify (NETLIFY_AUTH_TOKEN, NETLIFY_SITE_ID) and webmentions "
                            "(WEBMENTION_IO_TOKEN), `add` reads emails; with no action, the waiting replies are "
                            "listed. Accepting writes content/replies/<post>/<name>.md; nothing is ever lost: "
                            "rejected replies stay in content/replies/_pending.jsonl until `purge`.")
    _source_arg(r)
    r.add_argument("--all", action="store_true", help="list decided replies too")
    r.set_defaults(command="replies", action=None, all=False)
    actions = r.add_subparsers(title="actions", metavar="ACTION")

    def action(name: str, text: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        sub.add_argument("--source", "-s", type=Path, default=argparse.SUPPRESS,
                         help="the site's root folder (default: .)")
        sub.set_defaults(action=name)
        return sub

    pull = action("pull", "fetch new replies from Netlify's reply form and the webmention endpoint")
    pull.add_argument("--only", choices=("netlify", "webmention"), help="pull from one source only")
    add = action("add", "add replies sent by email, from .eml or mbox files")
    add.add_argument("files", nargs="+", type=Path, metavar="FILE", help="an .eml file or an mbox")
    accept = action("accept", "publish replies: write each as a reply file under content/replies/")
    accept.add_argument("ids", nargs="+", metavar="ID", help="a reply's id, or its first characters")
    accept.add_argument("--post", metavar="SLUG", help="the post they answer, when the reply does not say")
    for name, text in (("reject", "reject replies (kept until `purge`)"),
                       ("spam", "mark replies as spam (a form reply is reported to Netlify too)")):
        action(name, text).add_argument("ids", nargs="+", metavar="ID", help="a reply's id, or its first characters")
    action("review", "decide on each waiting reply in turn: accept, reject, spam, next or quit")
    action("purge", "drop the text of decided replies from the pending store (their ids are kept)")


def _port(text: str) -> int:
    """A TCP port number from the command line, 0-65535: anything else is a usage error, not a failed bind."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}: a number in the range 0-65535") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is not in the range 0-65535 (0 picks a free one)")
    return port


def _jobs(text: str) -> int:
    """A number of worker processes from the command line, 1 or more: 0 or less is a usage error, not a hang."""
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number of worker processes {text!r}: a whole number, 1 or more"
                                         ) from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"{jobs} worker processes: use 1 or more (the default is one per core)")
    return jobs


class _Parser(argparse.ArgumentParser):
    """argparse's parser, with a "did you mean" for a mistyped command, choice or option (Python 3.11 has no
    `suggest_on_error`). Its sub-commands' parsers are of this class too (argparse makes them of the parent's)."""

    def _check_value(self, action: argparse.Action, value: object) -> None:
        choices = action.choices
        if choices is None or value in choices or not isinstance(value, str):
            super()._check_value(action, value)
            return
        listed = ", ".join(repr(c) for c in choices)
        raise argparse.ArgumentError(action, f"invalid choice: {value!r}{_did_you_mean(value, map(str, choices))} "
                                     f"(choose from {listed})")

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        if not hasattr(parsed, "command") or self._subparsers is None:  # a command's options are its parser's own
            options = [o for action in self._actions for o in action.option_strings if o.startswith("--")]
            for extra in extras:
                name = extra.split("=", 1)[0]
                if name.startswith("--") and (hint := _did_you_mean(name, options)):
                    self.error(f"unrecognized argument {name}{hint}")
        return parsed, extras


def _did_you_mean(word: str, names: Iterable[str]) -> str:
    """'; did you mean 'build'?' for the name closest to a mistyped `word`, or nothing when none is close."""
    close = difflib.get_close_matches(word, list(names), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _source_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", "-s", type=Path, default=Path("."), help="the site's root folder (default: .)")
    parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the Python traceback of an internal error")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
