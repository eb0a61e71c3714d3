"""Reading a WordPress export (WXR): real content from the theme unit test data, an Arabic blog, hostile XML, and
properties of titles, slugs and code blocks."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from sitegen.migrate.model import Asset, Entry, ImportedReply, OldBlog
from sitegen.migrate.wordpress import read_wordpress
from sitegen.migrate.wordpress_html import convert_content

from .helpers import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "blogs" / "wordpress"
THEME_TEST = FIXTURES / "theme-unit-test" / "export.xml"
ARABIC = FIXTURES / "arabic" / "export.xml"
ARABIC_UPLOADS = FIXTURES / "arabic" / "uploads"
RIYADH = timezone(timedelta(hours=3))
HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" '
          'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
          '<channel><title>t</title><link>https://example.org</link>\n')


def entry(blog: OldBlog, slug: str) -> Entry:
    return next(e for e in blog.entries if e.slug == slug)


def messages(entry: Entry) -> list[str]:
    return [note.message for note in entry.notes]


def export(tmp_path: Path, items: str, name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + items + "\n</channel></rss>\n", encoding="utf-8")
    return path


def item(post_id: int = 1, title: str = "T", name: str = "t", content: str = "", extra: str = "",
         kind: str = "post", status: str = "publish") -> str:
    return (f"<item><title>{title}</title><link>https://example.org/{name}/</link><dc:creator>a</dc:creator>"
            f"<content:encoded><![CDATA[{content}]]></content:encoded><wp:post_id>{post_id}</wp:post_id>"
            f"<wp:post_date>2020-01-02 03:04:05</wp:post_date><wp:post_name>{name}</wp:post_name>"
            f"<wp:status>{status}</wp:status><wp:post_parent>0</wp:post_parent><wp:post_type>{kind}</wp:post_type>"
            f"{extra}</item>\n")


# The theme unit test data: a real export.

def test_theme_unit_test_blog() -> None:
    blog = read_wordpress(THEME_TEST)
    assert blog.generator == "wordpress"
    assert blog.settings == {"title": "Theme Unit Test Data", "base_url": "https://wpthemetestdata.wordpress.com",
                             "language": "en", "description": "Just another WordPress website with a purposefully "
                                                              "really long description"}
    assert [n.message for n in blog.notes] == ["items that are not posts or pages were left out: 7 attachment, "
                                               "1 nav_menu_item"]
    assert [(e.kind, e.slug) for e in blog.entries] == [
        ("pages", "about"), ("pages", "page-with-comments"), ("posts", "template-comments"),
        ("posts", "template-pingbacks-an-trackbacks"), ("posts", "scheduled"), ("posts", "post-format-image"),
        ("posts", "post-format-video-youtube"), ("posts", "post-format-image-caption"), ("posts", "draft"),
        ("posts", "template-password-protected"), ("posts", "title-with-special-characters"),
        ("posts", "markup-image-alignment"), ("posts", "block-image"), ("pages", "επίπεδο-2")]
    assert blog.static == ()  # every attachment kept here belongs to a post


def test_theme_unit_test_post_with_threaded_comments() -> None:
    post = entry(read_wordpress(THEME_TEST), "template-comments")
    assert post.front == {"title": "Template: Comments", "date": datetime(2012, 1, 3, 17, 11, 37, tzinfo=UTC),
                          "tags": ["Classic", "Template", "comments"], "author": "Theme Buster"}
    assert post.old_urls == ("/2012/01/03/template-comments/", "/?p=1148")
    assert [r.id for r in post.replies] == ["wp-899", "wp-900", "wp-901", "wp-903", "wp-904", "wp-905", "wp-906",
                                            "wp-907", "wp-910"]
    assert post.replies[1] == ImportedReply("wp-900", "Jane Doe", datetime(2013, 3, 12, 20, 17, 35, tzinfo=UTC),
                                            "Comments? I love comments!", "http://example.org/",
                                            "example@example.org")
    assert post.replies[0].text == ("This user it trying to be anonymous.\n\nThey used a fake email, so there "
                                    "should be no Gravatar (https://gravatar.com//) associated with it.\nThey did "
                                    "not speify a website, so there should be no link to it in the comment.")
    assert post.replies[5].text == "@John Κώστας Doe Τάδε: Comment Depth 02"
    assert messages(post) == ["4 threaded replies were made flat; each names the author it answered ('@name: ...')"]
    assert post.body.startswith("This post tests comments in the following ways.\n\n- Threaded comments up to 10 "
                                "levels deep\n- Paginated comments (set ***Settings \\> Discussion")


def test_theme_unit_test_page_pingbacks_and_unapproved_comments() -> None:
    blog = read_wordpress(THEME_TEST)
    page = entry(blog, "page-with-comments")
    assert page.kind == "pages"
    assert page.old_urls == ("/about/page-with-comments/", "/?p=155", "/?page_id=155")
    assert [(r.id, r.name, r.text) for r in page.replies] == [
        ("wp-167", "Anon", "Anonymous comment."), ("wp-168", "tellyworthtest2", "Contributor comment."),
        ("wp-169", "themedemos", "Author comment.")]
    assert messages(page) == ["left out: 1 comments not approved"]
    pings = entry(blog, "template-pingbacks-an-trackbacks")
    assert [r.id for r in pings.replies] == ["wp-925"]
    assert messages(pings) == ["left out: 2 pingbacks, 2 trackbacks"]


def test_theme_unit_test_caption_shortcode_and_featured_image() -> None:
    post = entry(read_wordpress(THEME_TEST), "post-format-image-caption")
    assert post.front["image"] == "images/triforce-wallpaper.jpg"
    assert post.assets == (
        Asset("images/100_5478.jpg", None, "https://wpthemetestdata.files.wordpress.com/2008/06/100_5478.jpg"),
        Asset("images/triforce-wallpaper.jpg", None,
              "https://wpthemetestdata.files.wordpress.com/2010/08/triforce-wallpaper.jpg"))
    assert post.body == ('<figure><a href="images/100_5478.jpg"><img alt="Bell on Wharf" class="wp-image-754 '
                         'size-large" height="453" src="images/100_5478.jpg" width="604"/></a>\n'
                         "<figcaption>Bell on wharf in San Francisco</figcaption>\n</figure>\n")


def test_theme_unit_test_drafts_and_statuses() -> None:
    blog = read_wordpress(THEME_TEST)
    draft = entry(blog, "draft")  # no wp:post_name: the slug comes from the title
    assert draft.front == {"title": "Draft", "date": datetime(2013, 4, 9, 18, 20, 39, tzinfo=UTC),
                           "tags": ["Classic", "Unpublished", "content περιεχόμενο"], "draft": True,
                           "author": "Theme Buster"}
    assert draft.old_urls == ("/?p=1164",)
    scheduled = entry(blog, "scheduled")
    assert scheduled.front["draft"] is True and scheduled.front["date"] == datetime(2030, 1, 1, 19, 0, 18, tzinfo=UTC)
    assert messages(scheduled) == ["scheduled (future) in WordPress: imported as a draft with its date"]
    protected = entry(blog, "template-password-protected")
    assert protected.front["draft"] is True
    assert "password-protected" in messages(protected)[0]


def test_theme_unit_test_titles_greek_slugs_and_attached_images() -> None:
    blog = read_wordpress(THEME_TEST)
    assert entry(blog, "title-with-special-characters").front["title"] == \
        "Markup: Title With Special Characters ~`!@#$%^&*()-_=+{}[]/\\;:'\"?,.>"
    greek = entry(blog, "επίπεδο-2")
    assert greek.old_urls == ("/greek/επίπεδο-2/", "/?p=1811", "/?page_id=1811")
    alignment = entry(blog, "markup-image-alignment")
    assert [a.target for a in alignment.assets] == [
        "images/image-alignment-580x300.jpg", "images/image-alignment-150x150.jpg",
        "images/image-alignment-1200x4002.jpg", "images/image-alignment-300x200.jpg", "images/manhattansummer.jpg",
        "images/soworthloving-wallpaper.jpg"]
    assert "![Image Alignment 580x300](images/image-alignment-580x300.jpg)" in alignment.body
    assert "wordpress.com/2013" not in alignment.body
    block = entry(blog, "block-image")
    assert "<!--" not in block.body and "wp:image" not in block.body


# An Arabic blog under a sub-path, with its uploads folder.

def test_arabic_post() -> None:
    blog = read_wordpress(ARABIC, ARABIC_UPLOADS)
    assert blog.settings == {"title": "مدونة سارة", "base_url": "https://sara.example/blog", "language": "ar",
                             "description": "ملاحظات عن البرمجة & الكتابة"}
    assert [n.message for n in blog.notes] == ["post 50 (قديمة) is in the trash and was left out",
                                               "items that are not posts or pages were left out: 2 attachment, "
                                               "1 nav_menu_item"]
    assert blog.notes[0].line == 219
    post = blog.entries[0]
    assert post.slug == "مرحبا-بالعالم"
    assert post.front == {"title": "مرحبا بالعالم", "date": datetime(2021, 3, 14, 10, 30, tzinfo=RIYADH),
                          "updated": datetime(2021, 4, 1, 12, 0, tzinfo=RIYADH),
                          "description": "أول تدوينة «في المدونة»", "tags": ["تقنية", "برمجة", "C & C++"],
                          "author": "سارة أحمد", "image": "images/صورة.png"}
    assert post.old_urls == ("/2021/03/14/مرحبا-بالعالم/", "/?p=5")
    assert post.assets == (
        Asset("images/صورة.png", ARABIC_UPLOADS / "2021" / "03" / "صورة.png",
              "https://sara.example/blog/wp-content/uploads/2021/03/صورة.png"),
        Asset("files/دليل.pdf", None, "http://sara.example/blog/wp-content/uploads/2021/03/دليل.pdf"))
    assert post.body == (
        "أهلاً بكم في مدونتي \\& شكراً للزيارة.\\\nهذا سطر ثانٍ في الفقرة نفسها.\n\n"
        '<figure><a href="images/صورة.png"><img alt="منظر" class="size-medium wp-image-7" height="200" '
        'src="images/صورة.png" width="300"/></a>\n<figcaption>غروب الشمس فوق البحر</figcaption>\n</figure>\n\n'
        "<!--more-->\n\nاقرأ [الدليل الكامل](files/دليل.pdf).\n\n\\[gallery ids\\=\"7,8\"\\]\n")
    assert post.replies == (
        ImportedReply("wp-11", "خالد", datetime(2021, 3, 15, 8, 0, tzinfo=RIYADH), "مقال رائع!\nشكراً لكِ.",
                      "https://khaled.example/", "khaled@example.org"),
        ImportedReply("wp-12", "سارة أحمد", datetime(2021, 3, 15, 9, 15, tzinfo=RIYADH),
                      "@خالد: شكراً يا خالد، انظر صفحتي (https://sara.example/blog/about/).",
                      "https://sara.example/blog", "sara@sara.example"))
    assert messages(post) == ["shortcode [gallery] has no Markdown form and was left as text",
                              "left out: 1 comments not approved, 1 pingbacks",
                              "1 threaded replies were made flat; each names the author it answered ('@name: ...')"]
    assert {n.line for n in post.notes} == {22}


def test_arabic_block_post_draft_and_page() -> None:
    blog = read_wordpress(ARABIC, ARABIC_UPLOADS)
    code = entry(blog, "كتابة-الشيفرة")
    assert "updated" not in code.front  # modified before it was published
    assert code.body == ('مثال بلغة بايثون:\n\n```\ndef greet(name):\n    print(f"مرحبا {name}")\n\n\n'
                         'greet("<world>")\n```\n\n```bash\necho "a && b" > out.txt\n```\n\n'
                         '<figure class="wp-block-table"><table><tbody><tr><td>أ</td><td>ب</td></tr></tbody>'
                         "</table></figure>\n")
    draft = entry(blog, "مسودة-أفكار-قادمة")
    assert draft.front == {"title": "مسودة: أفكار قادمة", "date": datetime(2021, 6, 1, 9, 0, tzinfo=RIYADH),
                           "draft": True, "author": "سارة أحمد"}
    assert draft.old_urls == ("/?p=30",)
    page = entry(blog, "عن-المدونة")
    assert page.kind == "pages"
    assert page.old_urls == ("/عن-المدونة/", "/?p=40", "/?page_id=40")
    assert page.assets == (Asset("images/logo.png", ARABIC_UPLOADS / "2021" / "03" / "logo.png",
                                 "/blog/wp-content/uploads/2021/03/logo.png"),)
    assert page.body == "## من أنا\n\nأكتب عن البرمجة.\n\n![شعار](images/logo.png)\n"
    assert blog.static == ()


def test_without_uploads_every_asset_is_missing() -> None:
    blog = read_wordpress(ARABIC)
    assert all(asset.source is None for e in blog.entries for asset in e.assets)


# Hostile and broken input: notes, never a crash, never an expansion or a file read.

BILLION_LAUGHS = '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n' + "".join(
    f' <!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">\n' for n in range(2, 10)
).replace("&lol1;", "&lol;") + ']>\n<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&lol9;</title>' \
    '<item><title>&lol9;</title></item></channel></rss>\n'


def test_billion_laughs_is_refused_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    blog = read_wordpress(path)
    assert blog.entries == ()
    assert len(blog.notes) == 1 and blog.notes[0].severity == "error" and blog.notes[0].line is not None


def test_external_entities_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    path = export(tmp_path, item(content="before &xxe; after", title="&xxe;"))
    path.write_text(path.read_text(encoding="utf-8").replace(
        "<rss", f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n<rss', 1), encoding="utf-8")
    blog = read_wordpress(path)
    assert "TOP-SECRET" not in repr(blog)
    assert [n.message for n in blog.notes] == ["the export declares a DTD; its entities were not expanded"]
    assert len(blog.entries) == 1


def test_truncated_export_is_an_error_with_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    path.write_bytes(ARABIC.read_bytes()[:3000])
    (note,) = read_wordpress(path).notes
    assert (note.severity, note.line, note.column) == ("error", 46, 30)
    assert note.message == "not well-formed XML: CData section not finished"


def test_not_an_export(tmp_path: Path) -> None:
    cases = {"atom.xml": b'<feed xmlns="http://www.w3.org/2005/Atom"><entry/></feed>',
             "rss.xml": b"<rss><channel><title>plain RSS</title><item/></channel></rss>",
             "empty.xml": b"", "binary.xml": bytes(range(256)) * 4, "utf16.xml": "<rss/>".encode("utf-16")}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        blog = read_wordpress(tmp_path / name)
        assert blog.entries == () and blog.notes[-1].severity == "error", name
    (note,) = read_wordpress(tmp_path / "missing.xml").notes
    assert note.severity == "error" and note.message.startswith("cannot read the export")


def test_control_characters_are_removed_with_a_note(tmp_path: Path) -> None:
    path = export(tmp_path, item(content="a\x0bb"))
    blog = read_wordpress(path)
    assert blog.notes[0].message == "1 control characters (not allowed in XML) were removed"
    assert blog.entries[0].body == "ab\n"


def test_hostile_slugs_and_upload_paths(tmp_path: Path) -> None:
    uploads = tmp_path / "uploads"
    (uploads / "2020" / "01").mkdir(parents=True)
    (uploads / "2020" / "01" / "a.png").write_bytes(b"png")
    (tmp_path / "outside.png").write_bytes(b"png")
    content = ('<img src="https://example.org/wp-content/uploads/../outside.png">'
               '<img src="https://example.org/wp-content/uploads/2020/01/a-300x200.png">')
    blog = read_wordpress(export(tmp_path, item(name="..%2F..%2Fetc", content=content)), uploads)
    (post,) = blog.entries
    assert post.slug == "etc"
    assert post.assets == (Asset("images/a.png", uploads / "2020" / "01" / "a.png",
                                 "https://example.org/wp-content/uploads/2020/01/a-300x200.png"),)
    assert "outside.png" in post.body and "images/a.png" in post.body


def test_dates_without_gmt_stay_naive_and_skipped_kinds_are_counted(tmp_path: Path) -> None:
    items = item(1) + item(2, name="r", kind="revision") + item(3, name="x", status="trash")
    blog = read_wordpress(export(tmp_path, items))
    assert blog.entries[0].front["date"] == datetime(2020, 1, 2, 3, 4, 5)
    assert [n.message for n in blog.notes] == ["post 3 (T) is in the trash and was left out",
                                               "items that are not posts or pages were left out: 1 revision"]


def test_script_is_kept_and_noted(tmp_path: Path) -> None:
    (post,) = read_wordpress(export(tmp_path, item(content="Hi\n\n<script>\nvar a = 1;\n\nrun(a);\n</script>"))).entries
    assert post.body == "Hi\n\n<script>\nvar a = 1;\n\nrun(a);\n</script>\n"
    assert messages(post) == ["the post has a <script>: it was kept as the author wrote it; check it still works"]


# Properties.

SLUG_CHARACTERS = st.characters(categories=("Ll", "Lo", "Nd"), exclude_characters="\ufffd")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\ufffe\uffff"),
                     min_size=1, max_size=40).filter(lambda t: t.strip() == t and t != ""),
       slug=st.lists(st.text(SLUG_CHARACTERS, min_size=1, max_size=8), min_size=1, max_size=4).map("-".join))
def test_titles_and_percent_encoded_slugs_survive(tmp_path: Path, title: str, slug: str) -> None:
    path = export(tmp_path, item(title=escape(html.escape(title)), name=quote(slug).lower()))
    (post,) = read_wordpress(path).entries
    assert post.slug == slug
    assert post.front["title"] == title
    assert post.old_urls == (f"/{slug}/", "/?p=1")


@settings(max_examples=80, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff") | st.sampled_from(
    ["\n", "\t", "`", "<", "&", "]"]), min_size=1, max_size=80), st.booleans())
def test_code_in_pre_survives_exactly(code: str, blocks: bool) -> None:
    assume(code.strip())  # a block of spaces alone has nothing to keep
    markup = f"<pre><code>{html.escape(code, quote=False)}</code></pre>"
    if blocks:
        markup = f"<!-- wp:code -->\n{markup}\n<!-- /wp:code -->"
    markdown, _ = convert_content(f"Before\n\n{markup}\n\nAfter", lambda url: None)
    fences = [t for t in MarkdownIt("commonmark").parse(markdown) if t.type == "fence"]
    expected = code[1:] if code.startswith("\n") else code
    assert [f.content for f in fences] == [expected if expected.endswith("\n") or not expected else expected + "\n"]
