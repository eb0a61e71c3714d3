"""Link checking sees every link: each warning at the link's own line and column (in paragraphs, lists, quotes,
tables, reference-style links), links in raw HTML, and the front matter's image; `--strict` fails on any of them."""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.markdown import render_markdown

from .helpers import POST, ROOT, make_site, run_cli

FIXTURES = ROOT / "tests" / "fixtures" / "link_check"
HINT = "  hint: fix the address, or remove the link\n"


def warnings_of(tmp_path: Path, files: dict[str, str | None], *args: str) -> tuple[int, str]:
    root = make_site(tmp_path, files)
    code, _, stderr = run_cli("build", "--source", root, *args)
    return code, stderr


def broken(line: int, column: int, source: str, target: str, what: str = "link",
           path: str = "content/posts/x.md", hint: str = HINT) -> str:
    """The warning for a link to `target` at `line:column`, whose line reads `source`."""
    return (f"{path}:{line}:{column}: warning: {what} to {target} leads to no page or file of this site\n"
            f"  {line:>4} | {source}\n"
            f"       | {' ' * (column - 1)}^\n" + hint)


def test_a_link_inside_a_paragraph_is_shown_at_its_own_line_and_column(tmp_path: Path) -> None:
    body = "first line of the paragraph\nsecond, with [one](/a/) and\n  then [two](/b/) on the third\n"
    code, stderr = warnings_of(tmp_path, {"content/posts/x.md": POST + "---\n" + body})
    assert code == 0
    assert stderr == (broken(6, 14, "second, with [one](/a/) and", "/a/")
                      + broken(7, 8, "  then [two](/b/) on the third", "/b/"))


def test_links_with_one_target_on_one_line_each_have_their_column(tmp_path: Path) -> None:
    body = "[x](/gone/) and [x](/gone/), ![x](/gone/) and [x](/gone/)\n"
    _, stderr = warnings_of(tmp_path, {"content/posts/x.md": POST + "---\n" + body})
    source = body.rstrip("\n")
    assert stderr == (broken(5, 1, source, "/gone/") + broken(5, 17, source, "/gone/")
                      + broken(5, 30, source, "/gone/", "image") + broken(5, 47, source, "/gone/"))


def test_links_in_lists_quotes_and_tables(tmp_path: Path) -> None:
    body = ("- an item [a](/l1/)\n"
            "  1. nested [b](/l2/)\n"
            "\n"
            "> quoted\n"
            "> > deeper ![c](/q.png)\n"
            "\n"
            "| one | two |\n"
            "| --- | --- |\n"
            "| [d](/t/) | x \\| [d](/t/) |\n")
    _, stderr = warnings_of(tmp_path, {"content/posts/x.md": POST + "---\n" + body})
    lines = body.split("\n")
    assert stderr == (broken(5, 11, lines[0], "/l1/") + broken(6, 13, lines[1], "/l2/")
                      + broken(9, 12, lines[4], "/q.png", "image")
                      + broken(13, 3, lines[8], "/t/") + broken(13, 19, lines[8], "/t/"))


def test_a_reference_style_link_is_shown_where_it_is_used_and_names_its_definition(tmp_path: Path) -> None:
    body = "see [the notes][notes] and [again][notes]\n\n[notes]: /notes/\n"
    _, stderr = warnings_of(tmp_path, {"content/posts/x.md": POST + "---\n" + body})
    hint = "  hint: its address is set by the reference on line 7: fix it there, or remove the link\n"
    line = body.split("\n")[0]
    assert stderr == broken(5, 5, line, "/notes/", hint=hint) + broken(5, 28, line, "/notes/", hint=hint)


def test_autolinks_and_bare_urls_have_their_columns() -> None:
    source = "x <https://a.example/> then https://b.example/p and www.c.example or d@e.example\n"
    found = [(link.target, link.line, link.column) for link in render_markdown(source).links]
    assert found == [("https://a.example/", 1, 3), ("https://b.example/p", 1, 29),
                     ("http://www.c.example", 1, 53), ("mailto:d@e.example", 1, 70)]


def test_links_in_raw_html(tmp_path: Path) -> None:
    body = ("text <a href=\"/inline/\">here</a> and <img src='/pic.png' alt=x>\n"
            "\n"
            "<picture>\n"
            "  <source srcset=\"/s1.webp 1x, /s2.webp 2x\" type=image/webp>\n"
            "  <video poster=/poster.jpg><source src=\"/clip.mp4\"></video>\n"
            "</picture>\n"
            "\n"
            "<a href=\"https://example.org/\">out</a> <a href=\"mailto:me@example.org\">me</a> "
            "<a href=\"#top\">up</a>\n"
            "<img src=\"data:image/png;base64,AAAA\"> <a href=\"/posts/y/\">the other post</a>\n")
    _, stderr = warnings_of(tmp_path, {"content/posts/x.md": POST + "---\n" + body,
                                       "content/posts/y.md": POST + "---\ny\n"})
    lines = body.split("\n")
    assert stderr == (broken(5, 15, lines[0], "/inline/") + broken(5, 48, lines[0], "/pic.png", "image")
                      + broken(8, 19, lines[3], "/s1.webp", "image") + broken(8, 32, lines[3], "/s2.webp", "image")
                      + broken(9, 17, lines[4], "/poster.jpg", "image") + broken(9, 42, lines[4], "/clip.mp4"))


def test_raw_html_of_a_real_post(tmp_path: Path) -> None:
    """An eleventy-satisfactory post's <figure>: the indented <img> is checked; the Vimeo <iframe> is not."""
    body = (FIXTURES / "figure.md").read_text(encoding="utf-8")
    files: dict[str, str | None] = {"content/posts/x.md": POST + "---\n" + body}
    _, stderr = warnings_of(tmp_path, files)
    assert stderr == broken(8, 13, '  <img src="/img/image002.jpg" alt="Image served using HTML">',
                            "/img/image002.jpg", "image")
    files["static/img/image002.jpg"] = "jpeg"
    assert warnings_of(tmp_path, files) == (0, "")


def test_strict_fails_on_a_broken_link_in_raw_html(tmp_path: Path) -> None:
    files: dict[str, str | None] = {"content/posts/x.md": POST + "---\n<p><img src=\"/missing.png\"></p>\n"}
    code, stderr = warnings_of(tmp_path, files, "--strict")
    assert code == 1
    assert stderr.startswith(broken(5, 14, '<p><img src="/missing.png"></p>', "/missing.png", "image"))
    files["static/missing.png"] = "png"
    assert warnings_of(tmp_path, files, "--strict") == (0, "")


def test_the_front_matter_image(tmp_path: Path) -> None:
    bundle = "content/posts/b/index.md"
    files: dict[str, str | None] = {bundle: POST + "image: cover.jpg\ntags: [a]\n---\nb\n",
                                    "content/posts/x.md": POST + "image: /images/x.png\n---\nx\n",
                                    "content/posts/y.md": POST + "image: https://example.org/y.png\n---\ny\n"}
    code, stderr = warnings_of(tmp_path, files, "--strict")
    hint = "  hint: fix 'image:', or add the file (beside the post's index.md, or under static/)\n"
    assert code == 1
    assert stderr.startswith(
        f"{bundle}:4:1: warning: image cover.jpg in the front matter leads to no page or file of this site\n"
        "     4 | image: cover.jpg\n"
        "       | ^\n" + hint
        + "content/posts/x.md:4:1: warning: image /images/x.png in the front matter leads to no page or file of this "
        "site\n"
        "     4 | image: /images/x.png\n"
        "       | ^\n" + hint)
    files.update({"content/posts/b/cover.jpg": "jpeg", "static/images/x.png": "png"})
    assert warnings_of(tmp_path, files, "--strict") == (0, "")


def test_a_link_that_cannot_be_placed_falls_back_to_its_block() -> None:
    """markdown-it gave the cell's text without a character of the source: the row's line, no column, no crash."""
    links = render_markdown("| a | b |\n|---|---|\n| \x00 [x](/y) | z |\n").links
    assert [(link.target, link.line, link.column) for link in links] == [("/y", 3, 5)]
    links = render_markdown("para\n\n| a | b |\n|---|---|\n| c\\\\|d [x](/y) | z |\n").links
    assert [(link.target, link.line) for link in links] == [("/y", 5)]


# --- property: the reported place is where the link is -------------------------------------------------------------

PREFIXES = ["", "", "", "- ", "> ", "1. ", "## ", "   ", "> > ", "- [ ] ", "* ", "  ", "\t"]
WORDS = ["نص", "word", "*em*", "**b**", "a_b", "`code`", "&amp;", "\\*", "x:y", "ع\u200cف", "~~s~~", "<br>", "\t",
         "[", "]", "(", "!", "<", "www.x"]


@st.composite
def markdown_with_links(draw: st.DrawFn) -> tuple[str, dict[str, tuple[int, int]]]:
    """Random Markdown with links put at random places: the text and where each link's target is placed."""
    lines: list[str] = []
    places: dict[str, tuple[int, int]] = {}
    for number in range(draw(st.integers(1, 12))):
        if draw(st.booleans()) and number:
            lines.append("")
        line = draw(st.sampled_from(PREFIXES))
        for word in draw(st.lists(st.sampled_from(WORDS) | st.sampled_from(["LINK", "IMAGE", "HTML", "IMG"]),
                                  max_size=8)):
            line += " " if line and not line.endswith(" ") else ""
            if word in ("LINK", "IMAGE", "HTML", "IMG"):
                target = f"/p{len(places)}/"
                markup = {"LINK": f"[t{len(places)}]({target})", "IMAGE": f"![t]({target})",
                          "HTML": f"<a href=\"{target}\">", "IMG": f"<img alt=x src={target}>"}[word]
                column = len(line) + 1 + (markup.index(target) if word in ("HTML", "IMG") else 0)
                places[target] = (len(lines) + 1, column)
                word = markup
            line += word
        lines.append(line)
    return "\n".join(lines) + "\n", places


@settings(max_examples=300, deadline=None)
@given(markdown_with_links())
@example(("- [ ] \t\nنص\n[t0](/p0/)\n", {"/p0/": (3, 1)}))  # found by this test: a task item's empty first line
@example(("- نص\n\n\t [t0](/p0/)\n", {"/p0/": (3, 3)}))  # found by this test: a tab indenting a list's paragraph
def test_each_link_is_reported_where_it_is(case: tuple[str, dict[str, tuple[int, int]]]) -> None:
    source, places = case
    for link in render_markdown(source).links:
        if link.target in places:
            assert (link.line, link.column) == places[link.target], (source, link)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("[]()!<>\"'=/ \t\n|-*>`\\:ax\u0627\x00\r"), max_size=200))
def test_any_text_is_placed_without_crashing(source: str) -> None:
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for link in render_markdown(source).links:
        assert 1 <= link.line <= len(lines)
        if link.column is not None:
            assert link.column <= len(lines[link.line - 1])


def test_the_preview_reports_what_a_fresh_load_reports_after_every_edit(tmp_path: Path) -> None:
    """The preview keeps the routes and link checks of posts that did not change between rebuilds (RouteMemo): after
    each edit (one that breaks a link, one elsewhere, one that removes the page a link points at and one that brings
    it back), its routes and warnings equal those of a site loaded from scratch."""
    from sitegen.build.load import load_site
    from sitegen.build.run import BuildOptions
    from sitegen.incremental.parse import CachedParser
    from sitegen.preview.model import Preview

    def post(title: str, body: str) -> str:
        return POST.replace("title: t", f"title: {title}") + "---\n" + body

    files: dict[str, str | None] = {"content/posts/a.md": post("a", "see [b](/posts/b/)\n"),
                                    "content/posts/b.md": post("b", "text\n"),
                                    "content/posts/c.md": post("c", "text\n")}
    root = make_site(tmp_path, files)
    options = BuildOptions(root, root / "public", use_cache=False)
    preview = Preview(options)
    steps: list[dict[str, str | None]] = [
        {},
        {"content/posts/a.md": post("a", "see [b](/posts/b/) and [gone](/posts/gone/)\n")},
        {"content/posts/c.md": post("c", "more text\n")},
        {"content/posts/b.md": None},
        {"content/posts/b.md": post("b", "back\n")},
        {"content/posts/c.md": post("c", "[a](/posts/a/) [nowhere](/nowhere/)\n")},
    ]
    seen = []
    for step in steps:
        make_site(root, step)
        result = preview.rebuild({root / name for name in step} or None)
        assert result.generation is not None
        fresh = load_site(options.site, CachedParser(use_cache=False, workers=1))
        assert result.generation.plan.pages == fresh.plan.pages
        assert preview.diagnostics == fresh.warnings
        seen.append(sorted(w.message for w in preview.diagnostics))
    assert seen[0] == [] and seen[1] == seen[2] == ["link to /posts/gone/ leads to no page or file of this site"]
    assert "link to /posts/b/ leads to no page or file of this site" in seen[3] and seen[4] == seen[1]
    assert len(seen[5]) == 2


def test_the_preview_reuses_the_routes_of_unchanged_translated_posts(site_copy) -> None:
    """Every assembly gives translated posts anew (with their translations): equal posts, not the same objects. The
    preview's memo takes what it made of them by value, so an edit of one post makes routes for that post alone."""
    from sitegen.build.run import BuildOptions
    from sitegen.preview.model import Preview

    root = site_copy("bilingual")
    preview = Preview(BuildOptions(root, root / "public", use_cache=False))
    assert preview.rebuild().generation is not None
    before = dict(preview.memo.routes)
    edited = next(p for p in (root / "content/posts").iterdir() if p.name == "what-is-networking.md")
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert preview.rebuild({edited}).generation is not None
    remade = sorted(url for url, route in preview.memo.routes.items() if before.get(url) is not route)
    assert remade == ["/posts/what-is-networking/"]
