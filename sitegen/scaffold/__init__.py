"""What `sitegen init` writes: a new blog's files, made from the answers and from this folder (a first post, an
about page and a README in the blog's language, a .gitignore), and the deployment files the sample blog in sitegen's
own repository uses (netlify.toml, the build plugin that keeps Netlify's builds warm, the scheduled function that
publishes posts on their date), with a requirements.txt that
installs this very sitegen and pins every library it needs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .. import DISTRIBUTION, __version__
from ..sources.frontmatter import read_front_matter
from ..text import fill_fields, slugify

HERE = Path(__file__).parent
TEXT_LANGUAGES = ("ar", "en")
"""The languages this folder has a first post, about page and README in; another language gets the English ones."""


@dataclass(frozen=True, slots=True)
class Answers:
    """What the author told `sitegen init` (or its defaults)."""

    title: str
    language: str
    author: str
    base_url: str = ""
    """Empty: not known yet (on Netlify the site's own address is used)."""
    timezone: str = "UTC"


@dataclass(frozen=True, slots=True)
class Requirements:
    """requirements.txt's text, and how sitegen itself is installed by it."""

    text: str
    source: str
    """'index' (sitegen-blog==VERSION from PyPI), 'vcs' (a Git URL at a commit) or 'url' (an archive)."""
    note: str = ""
    """What the author must know about it (sitegen itself was installed from a local folder)."""


def blueprint(answers: Answers, now: datetime) -> dict[str, bytes]:
    """Every file of the new blog by its path, except requirements.txt (`requirements`)."""
    texts = answers.language if answers.language in TEXT_LANGUAGES else "en"
    fields = {"title": answers.title, "author": answers.author, "date": now.isoformat()}
    post = fill_fields(_read(f"{texts}/post.md"), fields)
    about = fill_fields(_read(f"{texts}/about.md"), fields)
    if texts != answers.language:  # English text in a blog of another language says so, for its direction
        post, about = (text.replace("\ndraft: true\n", "\nlang: en\ndraft: true\n", 1) for text in (post, about))
    front, _ = read_front_matter(post, Path(f"{texts}/post.md"))  # our own text: it always has a title
    slug = slugify(str(front.values["title"]) if front else "post")
    files = {
        "sitegen.yaml": configuration(answers),
        f"content/posts/{slug}.md": post,
        "content/pages/about.md": about,
        "README.md": fill_fields(_read(f"{texts}/README.md"), {"title": answers.title.replace("\n", " ")}),
        ".gitignore": _read("gitignore"),
    }
    out = {path: text.encode("utf-8") for path, text in files.items()}
    out.update(deployment_files())
    return out


def configuration(answers: Answers) -> str:
    """sitegen.yaml, each value written as YAML (any title is safe), with comments."""
    def line(key: str, value: object) -> str:
        return yaml.safe_dump({key: value}, allow_unicode=True, default_flow_style=False, width=1000).rstrip("\n")

    base = (line("base_url", answers.base_url) if answers.base_url else
            "# base_url: https://example.com/  (on Netlify, the site's own address is used until you set it)")
    return "\n".join([
        "# The blog's settings; every key is described in sitegen's README (Configuration).",
        line("title", answers.title),
        'description: ""',
        line("language", answers.language),
        line("timezone", answers.timezone),
        base,
        "author:",
        "  " + line("name", answers.author),
        "",
    ])


def deployment_files() -> dict[str, bytes]:
    """netlify.toml, the Netlify build plugin and the scheduled function that publishes posts on their date, as
    sitegen's own repository has them (the wheel carries them), with the Python version Netlify installs set to this
    one: the pins of requirements.txt were resolved for it."""
    root = packaged_root()
    python = f'PYTHON_VERSION = "{sys.version_info.major}.{sys.version_info.minor}"'  # the one it is tried with
    toml = re.sub(r'PYTHON_VERSION = "[0-9.]+"', python, (root / "netlify.toml").read_text(encoding="utf-8"))
    files = {"netlify.toml": toml.encode("utf-8")}
    for folder in (root / "netlify" / "plugins", root / "netlify" / "functions"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "node_modules" not in path.parts and path.suffix != ".pyc":
                files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def packaged_root() -> Path:
    """Where netlify.toml and netlify/ are: inside the installed wheel (sitegen/), or the source checkout's root."""
    package = HERE.parent
    return package if (package / "netlify.toml").is_file() else package.parent


def requirements() -> Requirements:
    """requirements.txt: sitegen as it is installed here (the same release from PyPI, or the same Git commit), then
    every library it needs, transitively, pinned to the version installed here, so a build next year on Netlify
    installs what this machine runs today."""
    own, source, note = _own_line()
    pins = sorted(f"{name}=={version}" for name, version in _dependencies(DISTRIBUTION).items())
    text = "\n".join([
        "# Installed by Netlify before every build (and by `pip install -r requirements.txt` anywhere):",
        "# sitegen itself, then every library it uses at the version it was tried with. Written by `sitegen init`.",
        own, *pins, ""])
    return Requirements(text, source, note)


def direct_url() -> str | None:
    """How pip installed sitegen here: its direct_url.json (PEP 610), None when it came from an index."""
    try:
        return metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None


def _own_line() -> tuple[str, str, str]:
    """How requirements.txt installs sitegen itself: as it was installed here, in a form Netlify can reach."""
    direct = direct_url()
    info = json.loads(direct) if direct else {}
    url = str(info.get("url", ""))
    if "vcs_info" in info and info["vcs_info"].get("vcs") == "git":
        return f"{DISTRIBUTION} @ git+{url}@{info['vcs_info']['commit_id']}", "vcs", ""
    if url.startswith(("https://", "http://")):
        return f"{DISTRIBUTION} @ {url}", "url", ""
    if not url:  # from an index such as PyPI
        return f"{DISTRIBUTION}=={__version__}", "index", ""
    folder = url.removeprefix("file://")
    if remote := _git_origin(Path(folder)):  # a clone: the same commit from where it was cloned
        return (f"{DISTRIBUTION} @ git+{remote[0]}@{remote[1]}", "vcs",
                f"sitegen was installed from {folder}, a clone of {remote[0]}: requirements.txt installs commit "
                f"{remote[1][:12]} from there, so it must be pushed")
    return (f"{DISTRIBUTION}=={__version__}", "index",
            f"sitegen was installed from {folder}, which Netlify cannot reach: requirements.txt installs "
            f"{DISTRIBUTION}=={__version__} from PyPI instead; install sitegen from PyPI or a Git URL and run "
            "`sitegen init` again, or edit that line")


def _git_origin(folder: Path) -> tuple[str, str] | None:
    """The https address of the repository `folder` was cloned from (an ssh one, git@host:path, as https), and its
    current commit."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=10,
                              stdin=subprocess.DEVNULL).stdout.strip()

    try:
        remote, commit = git("remote", "get-url", "origin"), git("rev-parse", "HEAD")
    except (OSError, subprocess.SubprocessError):
        return None
    if match := re.fullmatch(r"(?:ssh://)?git@([^:/]+)[:/](.+)", remote):  # Netlify has no key: the https address
        remote = f"https://{match[1]}/{match[2]}"
    if not remote.startswith(("https://", "http://")) or not re.fullmatch(r"[0-9a-f]{40}", commit):
        return None
    return remote, commit


def _dependencies(name: str) -> dict[str, str]:
    """The installed version of every distribution `name` needs to run, transitively, with the extras each
    requirement asks for (`pagefind[bin]` brings pagefind-bin) but not `name`'s own extras."""
    found: dict[str, str] = {}
    pending: list[tuple[str, frozenset[str]]] = [(name, frozenset())]
    seen: set[tuple[str, frozenset[str]]] = set()
    while pending:
        current, extras = pending.pop()
        try:
            requires = metadata.requires(current) or []
        except metadata.PackageNotFoundError:
            continue
        for text in requires:
            requirement = Requirement(text)
            marker = requirement.marker
            if marker is not None and not any(marker.evaluate({"extra": extra}) for extra in ("", *extras)):
                continue
            key = canonicalize_name(requirement.name)
            if key == canonicalize_name(name):
                continue
            try:
                found[key] = metadata.version(requirement.name)
            except metadata.PackageNotFoundError:
                continue
            wanted = (requirement.name, frozenset(requirement.extras))
            if wanted not in seen:
                seen.add(wanted)
                pending.append(wanted)
    return found


def _read(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")
