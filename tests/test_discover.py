"""Finding the site's files in folders the author made: links that stay inside the site are followed and published,
hidden files are not, and what could make a walk crash or never end (folders nested thousands deep, links that fan
out) is a located error. The errors for loops, names that are not UTF-8 and links out of the site are in
bad_input_cases.py."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sitegen.sources.discover import MAX_FOLDER_DEPTH, MAX_LINKED_FOLDERS

from .helpers import POST, Link, make_site, read_tree, run_cli, run_sitegen


def test_links_that_stay_inside_the_site_are_published_as_their_files(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "shared/a.txt": "a", "shared/b/c.txt": "c", "static/linked.txt": Link("../shared/a.txt"),
        "static/linked": Link("../shared/b"), "content/posts/p/index.md": POST + "---\n",
        "content/posts/p/images": Link("../../../shared/b"),
    })
    code, _, stderr = run_cli("build", "--source", root)
    assert (code, stderr) == (0, "")
    built = read_tree(root / "public")
    assert built["linked.txt"] == b"a"
    assert built["linked/c.txt"] == built["posts/p/images/c.txt"] == b"c"


def test_hidden_files_are_left_out_but_hidden_folders_are_walked(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"static/.well-known/security.txt": "Contact: x", "static/.DS_Store": "x",
                                "static/css/.hidden.css": "x", "static/broken": Link("nowhere")})
    code, _, stderr = run_cli("build", "--source", root)
    assert (code, stderr) == (0, "")  # a broken link is left out quietly, as a missing file would be
    built = read_tree(root / "public")
    assert built[".well-known/security.txt"] == b"Contact: x"
    assert not {".DS_Store", "css/.hidden.css", "broken"} & built.keys()


def test_folders_nested_thousands_deep_are_an_error_not_a_crash(tmp_path: Path) -> None:
    root = make_site(tmp_path, {})
    folders = [os.fsencode(root / "static")]
    for _ in range(1500):  # deeper than Python's recursion limit (and shutil.rmtree's), not than a file system's
        folders.append(folders[-1] + b"/d")
    try:
        for folder in folders:
            os.mkdir(folder)
        (Path(os.fsdecode(folders[-1])) / "f.txt").write_text("x")
        code, _, stderr = run_cli("build", "--source", root)
    finally:
        (Path(os.fsdecode(folders[-1])) / "f.txt").unlink(missing_ok=True)
        for folder in reversed(folders):
            if os.path.isdir(folder):
                os.rmdir(folder)
    assert code == 1
    assert stderr.startswith("static/" + "d/" * MAX_FOLDER_DEPTH + f"d: error: folders nested more than "
                             f"{MAX_FOLDER_DEPTH} deep\n  hint: nest them less deeply\n")
    assert not (root / "public").exists()


def test_links_that_fan_out_stop_the_walk(tmp_path: Path) -> None:
    """No loop, but each of 12 folders links twice to the next: a walk through every link would meet 8,190 folders
    (and twice as many at 13 levels, and so on)."""
    files: dict[str, str | bytes | Link | None] = {"shared/f12/x.txt": "x"}
    for level in range(12):
        files[f"shared/f{level}/a"] = files[f"shared/f{level}/b"] = Link(f"../f{level + 1}")
    files["static/top"] = Link("../shared/f0")
    root = make_site(tmp_path, files)
    started = time.monotonic()
    code, _, stderr = run_cli("build", "--source", root)
    assert time.monotonic() - started < 30
    assert code == 1
    assert stderr.startswith(f"static: error: more than {MAX_LINKED_FOLDERS} links to folders are followed in this "
                             "folder\n  hint: link fewer folders, or copy them\n")


def test_the_real_cli_shows_a_name_that_is_not_utf8_escaped(tmp_path: Path) -> None:
    """Through the interpreter's own standard error, as a user runs it: no crash printing the name."""
    root = make_site(tmp_path, {"content/posts/caf\udce9 \udcff.md": POST + "---\n"})
    result = run_sitegen("build", "--source", root)
    assert result.returncode == 1
    assert result.stderr.startswith("content/posts/caf\\xe9 \\xff.md: error: the file name is not valid UTF-8 "
                                    "(byte 0xe9)\n")
    assert "Traceback" not in result.stderr


def test_a_site_in_a_folder_whose_name_is_not_utf8_builds(tmp_path: Path) -> None:
    """Names inside the site must be UTF-8 (they become addresses); the site's own folder may be named anything
    (its build cache cannot be kept there: SQLite takes UTF-8 file names only)."""
    (tmp_path / "caf\udce9").mkdir()
    root = make_site(tmp_path / "caf\udce9", {"content/posts/x.md": POST + "---\nنص\n"})
    for _ in range(2):
        code, _, stderr = run_cli("build", "--source", root)
        assert (code, stderr) == (0, "")
    assert (root / "public/posts/x/index.html").is_file()
