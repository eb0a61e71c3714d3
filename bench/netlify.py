"""Warm Netlify builds, proved with Netlify's own build runner: `netlify build --offline` (netlify-cli, which runs
@netlify/build, the runner of Netlify's CI) on a generated blog with this repository's netlify.toml and its build
plugin (netlify/plugins/sitegen-cache), which keeps sitegen's cache and the built site in Netlify's build cache.

For each corpus size it generates the blog (bench/corpus.py), commits it to a git repository and clones it, then
runs three builds in the clone, each from the state of a fresh clone (`git clean -fdx`, which removes public/ and
.sitegen-cache/) with Netlify's cache folder kept, as Netlify's CI does:

1. cold: nothing cached yet;
2. no change: the plugin restores both folders, sitegen carries every page over;
3. one edit: a paragraph appended to the newest post (committed), then the same.

It checks that runs 1 and 2 give byte-identical public/ folders (every file hashed) and that run 3 gives what a
cold `sitegen build --no-cache` of the edited blog gives, and reports each run's wall time and sitegen's own
"built N pages ...; M unchanged pages carried over" line.

    python bench/netlify.py                    # = --posts 1000 10000
    python bench/netlify.py --posts 1000

netlify-cli is installed from npm (pinned below) into bench/.node/ (ignored by git) on first use. sitegen runs from
this checkout: the current interpreter's bin folder comes first on PATH (its `sitegen` command) and the checkout
first on PYTHONPATH. Offline, netlify-cli needs no login or site id. Results go to bench/results/netlify.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import corpus  # noqa: E402  (bench/corpus.py, beside this file)

NETLIFY_CLI = "26.2.0"
"""The newest netlify-cli that runs on Node 20 (27 needs Node 22); it brings @netlify/build 35."""
NODE_DIR = REPO / "bench" / ".node"
NETLIFY = NODE_DIR / "node_modules" / ".bin" / "netlify"
EPOCH = "1767225600"
"""SOURCE_DATE_EPOCH of every build (2026-01-01): the same clock, so runs can be compared byte for byte."""
BUILT = re.compile(r"^built \d+ pages.*$", re.MULTILINE)
PLUGIN = re.compile(r"^sitegen-cache: .*$", re.MULTILINE)
RUNS = ("cold", "no change", "one edit")


def install_netlify_cli() -> str:
    """netlify-cli at the pinned version in bench/.node/; returns its version line."""
    installed = NODE_DIR / "node_modules" / "netlify-cli" / "package.json"
    if not installed.exists() or json.loads(installed.read_text())["version"] != NETLIFY_CLI:
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund", "--save-exact",
                        "--loglevel=error", f"netlify-cli@{NETLIFY_CLI}"], check=True)
    return subprocess.run([str(NETLIFY), "--version"], capture_output=True, text=True, check=True).stdout.strip()


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", *args], cwd=cwd,
                   check=True, capture_output=True)


def make_clone(posts: int, work: Path) -> tuple[Path, corpus.Corpus]:
    """The generated blog with this repository's netlify.toml and plugin, committed, then cloned afresh."""
    source = work / "origin"
    blog = corpus.generate(posts, source, "sitegen")
    shutil.copy(REPO / "netlify.toml", source / "netlify.toml")
    shutil.copytree(REPO / "netlify" / "plugins" / "sitegen-cache", source / "netlify" / "plugins" / "sitegen-cache")
    (source / ".gitignore").write_text("/public/\n/.sitegen-*\n/.netlify/\n/.public.*\n")
    git("init", "-q", "-b", "main", cwd=source)
    git("add", "-A", cwd=source)
    git("commit", "-q", "-m", "the blog", cwd=source)
    clone = work / "repo"
    git("clone", "-q", str(source), str(clone), cwd=work)
    return clone, blog


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(REPO), env.get("PYTHONPATH", "")] if p)
    env["SOURCE_DATE_EPOCH"] = EPOCH
    for name in ("NETLIFY_SITE_ID", "NETLIFY_AUTH_TOKEN"):  # offline: no site, no account
        env.pop(name, None)
    return env


def tree_hashes(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def netlify_build(clone: Path, log: Path) -> dict[str, object]:
    """One `netlify build --offline` from the state of a fresh clone, Netlify's cache folder kept."""
    git("clean", "-q", "-fdx", "-e", "/.netlify/", cwd=clone)
    started = time.perf_counter()
    run = subprocess.run([str(NETLIFY), "build", "--offline"], cwd=clone, env=environment(),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seconds = time.perf_counter() - started
    log.write_text(run.stdout)
    if run.returncode != 0:
        raise SystemExit(f"netlify build failed (exit {run.returncode}); its log: {log}")
    built, plugin = BUILT.findall(run.stdout), PLUGIN.findall(run.stdout)
    return {"wall_s": round(seconds, 2), "sitegen": built[-1] if built else None,
            "restore_s": _plugin_seconds(plugin, "restored"), "save_s": _plugin_seconds(plugin, "saved"),
            "plugin": plugin, "log": str(log)}


def _plugin_seconds(lines: list[str], verb: str) -> float:
    """The seconds the plugin's lines report for one kind of step ('restored ... in 1.2 s'), summed."""
    return round(sum(float(m.group(1)) for line in lines if line.startswith(f"sitegen-cache: {verb} ")
                     for m in [re.search(r" in ([\d.]+) s$", line)] if m), 1)


def cold_reference(clone: Path, out: Path) -> dict[str, str]:
    """A cold build of the clone as it is now, outside Netlify, with no cache."""
    subprocess.run(["sitegen", "build", "--no-cache", "--source", str(clone), "--output", str(out)], env=environment(),
                   check=True, capture_output=True)
    return tree_hashes(out)


def bench(posts: int, work: Path) -> dict[str, object]:
    clone, blog = make_clone(posts, work)
    results: dict[str, object] = {"posts": posts}
    trees = []
    for name in RUNS:
        if name == "one edit":
            newest = blog.files[blog.newest].relative_to(blog.root)
            with open(clone / newest, "a", encoding="utf-8") as handle:
                handle.write("\nفقرة أضيفت للقياس بعد البناء الأول.\n")
            git("commit", "-q", "-am", "one edit", cwd=clone)
        results[name] = netlify_build(clone, work / f"{name.replace(' ', '-')}.log")
        trees.append(tree_hashes(clone / "public"))
        print(f"{posts} posts, {name}: {results[name]['wall_s']} s; {results[name]['sitegen']}", file=sys.stderr)
    results["cold and no change identical"] = trees[0] == trees[1]
    results["one edit equals a cold build"] = trees[2] == cold_reference(clone, work / "cold-reference")
    results["files"] = len(trees[0])
    results["cache folder"] = str(clone / ".netlify" / "cache")
    return results


def report(version: str, runs: list[dict[str, object]]) -> str:
    lines = [f"`netlify build --offline` ({version}), sitegen from {REPO}", "",
             "| posts | run | wall time | plugin: restore / save | sitegen | identical |",
             "| ---: | --- | ---: | ---: | --- | --- |"]
    for result in runs:
        checks = {"no change": result["cold and no change identical"],
                  "one edit": result["one edit equals a cold build"]}
        for name in RUNS:
            run = result[name]
            assert isinstance(run, dict)
            same = {True: "yes", False: "**no**"}.get(checks.get(name))  # type: ignore[call-overload]
            lines.append(f"| {result['posts']} | {name} | {run['wall_s']} s | {run['restore_s']} s / {run['save_s']} s "
                         f"| {run['sitegen']} | {same or ''} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Warm Netlify builds with netlify-cli's own runner.")
    parser.add_argument("--posts", type=int, nargs="+", default=[1000, 10000], help="corpus sizes (default: both)")
    parser.add_argument("--keep", action="store_true", help="keep the work folders (their paths are printed)")
    args = parser.parse_args(argv)
    version = install_netlify_cli()
    runs = []
    for posts in args.posts:
        work = Path(tempfile.mkdtemp(prefix=f"sitegen-netlify-{posts}-"))
        try:
            runs.append(bench(posts, work))
        finally:
            if args.keep:
                print(f"kept {work}", file=sys.stderr)
            else:
                shutil.rmtree(work, ignore_errors=True)
    out = REPO / "bench" / "results" / "netlify.json"
    out.write_text(json.dumps({"netlify_cli": version, "runs": runs}, ensure_ascii=False, indent=2) + "\n")
    print(report(version, runs))
    ok = all(r["cold and no change identical"] and r["one edit equals a cold build"] for r in runs)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
