"""`sitegen init [FOLDER]`: start a new blog. On a terminal it asks for the blog's title, language, author and
address (Enter keeps the default shown); otherwise, or with --yes, it takes them from the options and defaults.
It writes only into an empty folder."""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from ..build.load import build_clock
from ..scaffold import Answers, blueprint, requirements
from ..sources.config import url_problem
from . import shown

Ask = Callable[[str, str], str]
"""Asks a question with its default; returns the answer typed (empty: the default)."""

TITLES = {"ar": "مدونتي", "en": "My blog"}


def run(args: argparse.Namespace) -> int:
    root: Path = args.folder
    if problem := _not_empty(root):
        print(f"sitegen: {problem}", file=sys.stderr)
        return 1
    ask = None if args.yes or not (sys.stdin.isatty() and sys.stdout.isatty()) else _terminal
    try:
        answers = gather(args, ask)
    except ValueError as exc:
        print(f"sitegen: {exc}", file=sys.stderr)
        return 2
    except EOFError:
        print("\nsitegen: stopped; nothing was written", file=sys.stderr)
        return 1
    now = build_clock().astimezone(ZoneInfo(answers.timezone)).replace(microsecond=0)
    files = blueprint(answers, now)
    pinned = requirements()
    files["requirements.txt"] = pinned.text.encode("utf-8")
    try:
        for relative, data in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    except OSError as exc:
        print(f"sitegen: cannot write {shown(Path(exc.filename or root))}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(_summary(root, answers, sorted(files)))
    if pinned.note:
        print(f"note: {pinned.note}")
    return 0


def gather(args: argparse.Namespace, ask: Ask | None) -> Answers:
    """The answers: each option given, else asked (when `ask`), else its default. Raises ValueError for a value
    that cannot be used (asking again on a terminal instead)."""
    def value(question: str, given: str | None, default: str, check: Callable[[str], str | None]) -> str:
        if given is not None:
            if problem := check(given):
                raise ValueError(problem)
            return given
        if ask is None:
            return default
        while True:
            answer = ask(question, default).strip() or default
            if not (problem := check(answer)):
                return answer
            print(f"  {problem}", file=sys.stderr)

    language = value("Language (ar, en, fr...)", args.language, "ar", _language_problem)
    title = value("Title", args.title, TITLES.get(language, TITLES["en"]), _title_problem)
    author = value("Your name", args.author, _user_name(), _title_problem)
    base_url = value("Address (empty: not known yet)", args.base_url, "", _url_problem)
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    return Answers(title, language, author, base_url, _local_zone())


def _terminal(question: str, default: str) -> str:
    shown_default = f" [{default}]" if default else ""
    return input(f"{question}{shown_default}: ")


def _not_empty(root: Path) -> str | None:
    """Why `root` cannot take a new blog: it is a file, or a folder with anything in it but a Git repository."""
    if not root.exists():
        return None
    if not root.is_dir():
        return f"{shown(root)} is not a folder"
    try:
        entries = sorted(entry.name for entry in root.iterdir() if entry.name != ".git")
    except OSError as exc:
        return f"cannot read {shown(root)}: {exc.strerror or exc}"
    if entries:
        listed = ", ".join(entries[:3]) + (", ..." if len(entries) > 3 else "")
        return (f"{shown(root)} is not empty ({listed}); sitegen init starts a blog in a new or empty folder, so "
                "nothing of yours is overwritten: pass another folder (sitegen init my-blog)")
    return None


def _language_problem(code: str) -> str | None:
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return f"unknown language {code!r}: use a language code such as ar, en or fr"
    return None


def _title_problem(text: str) -> str | None:
    return "it cannot be empty or more than one line" if not text.strip() or "\n" in text else None


def _url_problem(url: str) -> str | None:
    problem = url_problem(url) if url else None
    return f"the address {url!r} {problem}, such as https://example.com/" if problem else None


def _user_name() -> str:
    """The author's name as Git knows it, else the account's; 'Author' when neither says."""
    try:
        name = subprocess.run(["git", "config", "--get", "user.name"], capture_output=True, text=True, timeout=5,
                              stdin=subprocess.DEVNULL).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    return name or "Author"


def _local_zone() -> str:
    """This machine's time zone as an IANA name (from $TZ or /etc/localtime), else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(os.readlink("/etc/localtime").split("zoneinfo/", 1)[-1])
    for name in candidates:
        if name and "/" in name:
            try:
                ZoneInfo(name)
                return "UTC" if name in ("Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu") else name
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return "UTC"


def _summary(root: Path, answers: Answers, files: list[str]) -> str:
    folder = shown(root)
    go = "" if folder == "." else f"cd {folder}\n  "
    lines = [f"created a blog in {folder}: {answers.title} ({answers.language}), by {answers.author}"]
    lines += [f"  {name}" for name in files]
    lines += [
        "The first post and the about page are drafts: the preview shows them, a build publishes neither until you",
        "delete their `draft: true` line.",
        "Next:",
        f"  {go}sitegen serve          # the live preview",
        "  sitegen new \"A title\"   # a new post",
        "Deploy: push the folder to a Git repository and import it on Netlify (see README.md).",
        "Posts dated later appear on their date once Netlify has a build hook in SITEGEN_BUILD_HOOK (see sitegen's",
        "README, Scheduled posts).",
    ]
    return "\n".join(lines)
