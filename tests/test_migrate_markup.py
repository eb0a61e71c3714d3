"""The old generators' markup converted: real posts against golden output, each construct's exact output, what
the converted Markdown renders to, notes at file lines, and properties on random and hostile bodies."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.markdown import render_markdown
from sitegen.migrate.markup import Flavor, convert_markup

from .helpers import UPDATE_GOLDEN

FIXTURES = Path(__file__).parent / "fixtures" / "markup"
POSTS = {"2010-07-21-name": "/2010/07/21/name.html", "_posts/2010-07-21-name.md": "/2010/07/21/name.html",
         "posts/x.md": "/posts/x/", "document.md": "/document/"}
PATH = Path("_posts/p.md")


def convert(body: str, flavor: Flavor = "liquid", line: int = 1) -> tuple[str, list[str]]:
    out, notes = convert_markup(body, flavor, PATH, line, POSTS.get)
    assert all(n.path == PATH for n in notes)
    return out, [f"{n.line}:{n.column}: {n.message}" for n in notes]


def split_post(text: str) -> tuple[str, int]:
    """The body after the front matter and the file line it starts on."""
    mark = text.split("\n", 1)[0]
    end = text.index("\n" + mark + "\n", 1) + len(mark) + 2
    return text[end:], text[:end].count("\n") + 1


POST_FILES = sorted(p for p in FIXTURES.glob("*.md") if p.name.split(".")[1] in ("liquid", "hugo", "nunjucks"))


@pytest.mark.parametrize("post", POST_FILES, ids=lambda p: p.name.split(".")[0])
def test_real_post_converts_to_its_golden_output(post: Path) -> None:
    name, flavor, _ = post.name.split(".")
    body, line = split_post(post.read_text(encoding="utf-8"))
    out, notes = convert(body, flavor, line)  # type: ignore[arg-type]
    expected_out, expected_notes = FIXTURES / f"{name}.out.md", FIXTURES / f"{name}.notes.txt"
    if UPDATE_GOLDEN:
        expected_out.write_text(out, encoding="utf-8")
        expected_notes.write_text("".join(n + "\n" for n in notes), encoding="utf-8")
    assert out == expected_out.read_text(encoding="utf-8")
    assert notes == expected_notes.read_text(encoding="utf-8").splitlines()
    rendered = render_markdown(out).html
    assert "{%" not in re.sub(r"<code[^>]*>.*?</code>", "", rendered, flags=re.S)


def test_real_notes_point_at_the_tags_in_the_file() -> None:
    for notes_file in FIXTURES.glob("*.notes.txt"):
        post = next(p for p in POST_FILES if p.name.startswith(notes_file.name.split(".")[0] + "."))
        lines = post.read_text(encoding="utf-8").splitlines()
        for note in notes_file.read_text(encoding="utf-8").splitlines():
            line, column, message = note.split(":", 2)
            shown = message.split(" ", 2)[1] if message.startswith(" {") else ""
            at = lines[int(line) - 1][int(column) - 1:]
            assert at.startswith("{"), (note, at)
            assert not shown or at.startswith(shown[:2])


LIQUID = [
    ("{% highlight ruby %}\nputs 1\n{% endhighlight %}\n", "```ruby\nputs 1\n```\n", []),
    ("{% highlight js linenos %}\na\n\nb\n{% endhighlight %}", "```js\na\n\nb\n```", []),
    ("{% highlight md %}\n````\n{% endhighlight %}", "`````md\n````\n`````", []),
    ("x {% highlight c %}int a;{% endhighlight %} y", "x \n```c\nint a;\n```\n y", []),
    ("1. step\n\n   {% highlight sh %}\n   ls\n   {% endhighlight %}\n",
     "1. step\n\n   ```sh\n   ls\n   ```\n", []),
    ("{% highlight html %}{% raw %}{{ x }}{% endraw %}{% endhighlight %}", "```html\n{{ x }}\n```", []),
    ("{% raw %}{{ page.title }} {% if %}{% endraw %}", "{{ page.title }} {% if %}", []),
    ("{%- raw -%}a{%- endraw -%}", "a", []),
    ("[a]({% post_url 2010-07-21-name %})", "[a](/2010/07/21/name.html)", []),
    ("[a]({% link _posts/2010-07-21-name.md %})", "[a](/2010/07/21/name.html)", []),
    ("[a]({% post_url 2011-01-01-gone %})", "[a](`{% post_url 2011-01-01-gone %}`)",
     ["1:5: {% post_url 2011-01-01-gone %} names no post of the old blog: left as code"]),
    ("![x]({{ site.url }}{{ site.baseurl }}/a.png)", "![x](/a.png)", []),
    ("[x]({{ '/about/' | relative_url }}) [y]({{ \"b.css\" | absolute_url }})", "[x](/about/) [y](/b.css)", []),
    ("[x]({{ \"/about/\" | prepend: site.baseurl }})", "[x](/about/)", []),
    ("{% include youtube.html id=\"ZJthWmvUzzc\" %}",
     '<iframe src="https://www.youtube-nocookie.com/embed/ZJthWmvUzzc" title="YouTube video" width="560" '
     'height="315" allow="fullscreen; picture-in-picture" allowfullscreen loading="lazy"></iframe>', []),
    ("{% include video id=\"212731897\" provider=\"vimeo\" %}\nnext",
     '<iframe src="https://player.vimeo.com/video/212731897?dnt=1" title="Vimeo video" width="560" height="315" '
     'allow="fullscreen; picture-in-picture" allowfullscreen loading="lazy"></iframe>\n\nnext', []),
    ("{% youtube \"https://www.youtube.com/watch?v=ZJthWmvUzzc\" %}",
     '<iframe src="https://www.youtube-nocookie.com/embed/ZJthWmvUzzc" title="YouTube video" width="560" '
     'height="315" allow="fullscreen; picture-in-picture" allowfullscreen loading="lazy"></iframe>', []),
    ("{% youtube not/an id %}", "`{% youtube not/an id %}`",
     ["1:1: {% youtube not/an id %} has no YouTube video id: left as code"]),
    ("{% gist parkr/931c1c8d465a04042403 %}",
     "[gist parkr/931c1c8d465a04042403](https://gist.github.com/parkr/931c1c8d465a04042403)", []),
    ("{% gist 1ba5023673fb179627de two_sum.go %}",
     "[gist 1ba5023673fb179627de two_sum.go](https://gist.github.com/1ba5023673fb179627de#file-two_sum-go)", []),
    ("a\n{% comment %}\nsecret {{ x }}\n{% endcomment %}\nb", "a\n\nb", ["2:1: a {% comment %} block was removed"]),
    ("{% capture x %}y{% endcapture %}", "`{% capture x %}`y`{% endcapture %}`",
     ["1:1: {% capture x %} is not converted: left as code",
      "1:17: {% endcapture %} is not converted: left as code"]),
    ("{% assign n = 1 %}\n{% if a %}b{% endif %}", "`{% assign n = 1 %}`\n`{% if a %}`b`{% endif %}`",
     ["1:1: {% assign n = 1 %} is not converted: left as code", "2:1: {% if a %} is not converted: left as code",
      "2:12: {% endif %} is not converted: left as code"]),
    ("Hi {{ page.title }}", "Hi `{{ page.title }}`",
     ["1:4: {{ page.title }} is not converted (sitegen has no template output in posts): left as code"]),
    ("{% include toc %}\n\ntext", "\ntext",
     ["1:1: {% include toc %} was removed: sitegen's theme makes the table of contents"]),
    ("{% include note.html text=\"x\" %}", "`{% include note.html text=\"x\" %}`",
     ['1:1: {% include note.html text="x" %} is not converted (sitegen has no includes in posts): left as code']),
    ("a {% if x\n\nb %}", "a `{%` if x\n\nb %}", ["1:3: {% is not closed by %}: left as text"]),
    ("{% if a {% endif %}", "`{%` if a `{% endif %}`",
     ["1:1: {% is not closed by %}: left as text", "1:9: {% endif %} is not converted: left as code"]),
    ("{% raw %}never closed", "`{% raw %}`never closed", ["1:1: {% raw %} has no {% endraw %}: left as text"]),
    ("{% highlight x %}\nno end", "`{% highlight x %}`\nno end",
     ["1:1: {% highlight x %} has no {% endhighlight %}: left as text"]),
    # kramdown
    ("Para\n{: .notice}\nnext", "Para\nnext",
     ["2:1: {: .notice} was removed: sitegen keeps no attributes on Markdown blocks"]),
    ("![A](/a.png)\n{: .image-right}\n", '<p class="image-right"><img src="/a.png" alt="A"></p>\n', []),
    ("![A](/a.png \"T\"){: .left #pic}", '<img src="/a.png" alt="A" title="T" class="left" id="pic">', []),
    ("[site](https://e.org){:target=\"_blank\"}", '<a href="https://e.org" target="_blank">site</a>', []),
    ("*em*{: .x} z", "*em* z", ["1:5: {: .x} was removed: sitegen keeps no attributes on Markdown text"]),
    ("# Contents\n{:.no_toc}\n\n* TOC\n{:toc}\n\nText", "# Contents\n\n\nText",
     ["2:1: {:.no_toc} was removed: sitegen keeps no attributes on Markdown blocks",
      "5:1: {:toc} was removed: sitegen's theme makes the table of contents"]),
    ("## Title {#my-id}\n", "## Title\n",
     ["1:10: {#my-id} was removed: sitegen makes heading ids from the heading's text"]),
    ("{::options parse_block_html=\"true\" /}\ntext", "text",
     ['1:1: {::options parse_block_html="true" /} was removed: it set kramdown\'s options']),
    ("a\n{::comment}\nhidden\n{:/comment}\nb", "a\nb", ["2:1: a {::comment} block was removed"]),
    ("{::nomarkdown}<b>x</b>{:/nomarkdown}", "<b>x</b>",
     ["1:1: {::nomarkdown} markers removed: the HTML inside is kept as written"]),
    ("{:ref: .class}\nx", "x", ["1:1: {:ref: .class} was removed: sitegen has no attribute definitions"]),
    ("a {: not closed", "a {: not closed", []),
    # code is left as written, but a raw marker in it is taken out (Jekyll did, before Markdown)
    ("`{% if x %}` and ``{{ y }}``", "`{% if x %}` and ``{{ y }}``", []),
    ("```\n{% include x %}\n{{ site.url }}\n```\n{{ site.url }}", "```\n{% include x %}\n{{ site.url }}\n```\n", []),
    ("~~~~\n{% if %}\n~~~\n~~~~\nz", "~~~~\n{% if %}\n~~~\n~~~~\nz", []),
    ("> ```\n> {% if %}\n> ```", "> ```\n> {% if %}\n> ```", []),
    ("- ```\n  {% if %}\n  ```", "- ```\n  {% if %}\n  ```", []),
    ("[`{% raw %}{% link %}{% endraw %}`](x)", "[`{% link %}`](x)", []),
    ("```\n{% if %}", "```\n{% if %}", []),
    ("`a\n\n{% if %}`", "`a\n\n`{% if %}``",
     ["3:1: {% if %} is not converted: left as code"]),
]


@pytest.mark.parametrize(("body", "expected", "notes"), LIQUID)
def test_liquid_and_kramdown(body: str, expected: str, notes: list[str]) -> None:
    assert convert(body) == (expected, notes)


HUGO = [
    ("{{< highlight go \"linenos=table\" >}}\nfunc main() {}\n{{< /highlight >}}", "```go\nfunc main() {}\n```", []),
    ("{{% highlight html %}}\n<b>{{ .Title }}</b>\n{{% /highlight %}}", "```html\n<b>{{ .Title }}</b>\n```", []),
    ('{{< figure src="/i.jpg" alt="A <b>" caption="Cap & \\"q\\"" title="T" link="/big.jpg" width="300" >}}',
     '<figure><a href="/big.jpg"><img src="/i.jpg" alt="A &lt;b&gt;" width="300"></a>'
     '<figcaption><h4>T</h4><p>Cap &amp; &quot;q&quot;</p></figcaption></figure>', []),
    ("{{< figure src=`/a b.png` >}}\ntext", '<figure><img src="/a b.png"></figure>\n\ntext', []),
    ("{{< youtube w7Ft2ymGmfc >}}",
     '<iframe src="https://www.youtube-nocookie.com/embed/w7Ft2ymGmfc" title="YouTube video" width="560" '
     'height="315" allow="fullscreen; picture-in-picture" allowfullscreen loading="lazy"></iframe>', []),
    ('{{< youtube id="w7Ft2ymGmfc" autoplay="true" >}}',
     '<iframe src="https://www.youtube-nocookie.com/embed/w7Ft2ymGmfc" title="YouTube video" width="560" '
     'height="315" allow="fullscreen; picture-in-picture" allowfullscreen loading="lazy"></iframe>', []),
    ("{{< vimeo 146022717 >}}",
     '<iframe src="https://player.vimeo.com/video/146022717?dnt=1" title="Vimeo video" width="560" height="315" '
     'allow="fullscreen; picture-in-picture" allowfullscreen loading="lazy"></iframe>', []),
    ('{{< gist spf13 7896402 "img.html" >}}',
     "[gist spf13/7896402 img.html](https://gist.github.com/spf13/7896402#file-img-html)", []),
    ('[x]({{< ref "posts/x.md#part" >}}) [y]({{< relref "document.md" >}}) [z]({{< ref "#here" >}})',
     "[x](/posts/x/#part) [y](/document/) [z](#here)", []),
    ('[x]({{% ref "gone.md" %}})', '[x](`{{% ref "gone.md" %}}`)',
     ['1:5: {{% ref "gone.md" %}} names no post of the old blog: left as code']),
    ('{{< x user="SanDiegoZoo" id="1453110110599868418" >}}',
     "[Post by @SanDiegoZoo on X](https://x.com/SanDiegoZoo/status/1453110110599868418)", []),
    ("{{< tweet 1245963210735353861 >}}", "[Post on X](https://x.com/i/status/1245963210735353861)", []),
    ("{{< instagram BWNjjyYFxVx hidecaption >}}", "[Instagram post](https://www.instagram.com/p/BWNjjyYFxVx/)", []),
    ('{{< details summary="See <more>" >}}\nHidden *text*.\n{{< /details >}}\nAfter',
     "<details>\n<summary>See &lt;more&gt;</summary>\n\n\nHidden *text*.\n\n\n</details>\n\nAfter", []),
    ('{{< param "author" >}}', '`{{< param "author" >}}`',
     ['1:1: {{< param "author" >}} is not converted (a site parameter): left as code']),
    ("{{< gallery >}}\n{{< /gallery >}}", "`{{< gallery >}}`\n`{{< /gallery >}}`",
     ["1:1: {{< gallery >}} is not converted: left as code",
      "2:1: {{< /gallery >}} closes no shortcode that was converted: left as code"]),
    ('Shown: {{</* figure src="x" */>}}', 'Shown: `{{< figure src="x" >}}`', []),
    ("```\n{{</* youtube abc */>}}\n{{< youtube w7Ft2ymGmfc >}}\n```",
     "```\n{{< youtube abc >}}\n{{< youtube w7Ft2ymGmfc >}}\n```", []),
    ("`{{%/* ref x */%}}`", "`{{% ref x %}}`", []),
    ("{{< youtube w7Ft2ymGmfc", "`{{<` youtube w7Ft2ymGmfc", ["1:1: {{< is not closed by >}}: left as text"]),
    ('{{< figure src="unclosed >}}', '`{{< figure src="unclosed >}}`',
     ['1:1: {{< figure src="unclosed >}} has arguments that cannot be read: left as code']),
    ("Paragraph\n{.box-warning}\n", "Paragraph\n",
     ["2:1: {.box-warning} was removed: sitegen keeps no attributes on Markdown blocks"]),
    ("## Title {#custom-id}", "## Title",
     ["1:10: {#custom-id} was removed: sitegen makes heading ids from the heading's text"]),
    ("{{ .Title }} and {% x %} are text in Hugo", "{{ .Title }} and {% x %} are text in Hugo", []),
    ("a {.b} c", "a {.b} c", []),
]


@pytest.mark.parametrize(("body", "expected", "notes"), HUGO)
def test_hugo_shortcodes(body: str, expected: str, notes: list[str]) -> None:
    assert convert(body, "hugo") == (expected, notes)


def test_nunjucks() -> None:
    body = '{# a comment #}x{% highlight "js" %}\nlet a;\n{% endhighlight %}\n{% verbatim %}{{ y }}{% endverbatim %}'
    assert convert(body, "nunjucks") == ("x\n```js\nlet a;\n```\n{{ y }}", ["1:1: a {# comment #} was removed"])
    assert convert("{: .x}", "nunjucks") == ("{: .x}", [])


def test_notes_carry_the_file_line_and_column() -> None:
    _, notes = convert("one\n\n  two {% if x %}\n", line=7)
    assert notes == ["9:7: {% if x %} is not converted: left as code"]


def test_highlight_content_never_renders_as_html() -> None:
    body = "{% highlight html %}\n<script>alert(1)</script>\n```\n<img src=x onerror=alert(2)>\n{% endhighlight %}\n"
    out, _ = convert(body)
    rendered = render_markdown(out).html
    assert "<script>" not in rendered and "<img" not in rendered
    assert "&lt;" in rendered and "script" in rendered and "onerror" in rendered
    out, _ = convert(body.replace("{% highlight html %}", "{{< highlight html >}}")
                     .replace("{% endhighlight %}", "{{< /highlight >}}"), "hugo")
    assert "<script>" not in render_markdown(out).html


def test_embeds_and_figures_render_as_html() -> None:
    out, _ = convert('Intro\n{{< figure src="/a.jpg" alt="x\\" onload=\\"alert(1)" caption="<i>c</i>" >}}\n'
                     "Next *para*\n\n{{< youtube w7Ft2ymGmfc >}}\n", "hugo")
    rendered = render_markdown(out).html
    assert '<img src="/a.jpg" alt="x&quot; onload=&quot;alert(1)">' in rendered
    assert "<p>&lt;i&gt;c&lt;/i&gt;</p>" in rendered
    assert "<p>Next <em>para</em></p>" in rendered
    assert '<iframe src="https://www.youtube-nocookie.com/embed/w7Ft2ymGmfc"' in rendered
    assert "<script" not in rendered


def test_inert_tags_render_as_code_and_stay_visible() -> None:
    out, _ = convert("{% if user %}**bold**{% endif %} and {{ page.x | append: '`' }}")
    rendered = render_markdown(out).html
    assert "<code>{% if user %}</code><strong>bold</strong><code>{% endif %}</code>" in rendered
    assert "<code>{{ page.x | append: '`' }}</code>" in rendered


# Properties

TAGS = ["{% if x %}", "{% endif %}", "{{ page.title }}", "{% raw %}", "{% endraw %}", "{% highlight py %}",
        "{% endhighlight %}", "{% comment %}", "{% endcomment %}", "{%", "%}", "{{", "}}", "{{< youtube abcdefgh >}}",
        "{{< /details >}}", "{{< details >}}", "{{</* x */>}}", "{: .c}", "{:toc}", "{::comment}", "{:/comment}",
        "{#i}", "{.c}", "`", "``", "```", "~~~", "\n", "\n\n", "* TOC\n", "![a](b)", "[l](u)", " ", "x", "{", "}",
        "{% post_url 2010-07-21-name %}", "{{< figure src=a >}}", "{{%", "%}}", "{#", "#}", "\\", ">", "- "]
FLAVORS: list[Flavor] = ["liquid", "hugo", "nunjucks"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TAGS) | st.text(max_size=5), max_size=40), st.sampled_from(FLAVORS))
def test_random_bodies_never_crash(parts: list[str], flavor: Flavor) -> None:
    body = "".join(parts)
    out, notes = convert_markup(body, flavor, PATH, 3, POSTS.get)
    assert isinstance(out, str)
    lines = body.count("\n") + 1
    assert all(n.line is not None and 3 <= n.line <= 2 + lines for n in notes)
    render_markdown(out)


PLAIN = st.text(st.sampled_from("ab .,!*#\n"), min_size=1, max_size=12)
KNOWN = st.sampled_from(["{% if x %}", "{{ site.baseurl }}", "{% comment %}c{% endcomment %}", "{% raw %}r{% endraw %}",
                         "{% gist a/b %}", "{% post_url 2010-07-21-name %}", "{{ page.x }}", "{% youtube abcdefgh %}"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(PLAIN, KNOWN), max_size=12), PLAIN)
def test_text_outside_tags_is_kept_byte_for_byte(pairs: list[tuple[str, str]], last: str) -> None:
    body = "".join(text + tag for text, tag in pairs) + last
    out, _ = convert(body)
    position = 0
    for text in [text for text, _ in pairs] + [last]:
        found = out.find(text, position)
        assert found >= 0, (text, out)
        position = found + len(text)


CODE = st.text(st.sampled_from("ab{}%<>/*#:.-` \n"), max_size=40).filter(lambda c: "``" not in c and "\n\n" not in c)


@settings(max_examples=300, deadline=None)
@given(PLAIN, CODE, st.sampled_from(FLAVORS))
def test_code_is_copied_as_written(text: str, code: str, flavor: Flavor) -> None:
    code = code.replace("/*", "/ *").replace("*/", "* /").replace("{%", "{ %")  # Hugo and Liquid escapes aside
    fenced = f"~~~~\n{code}\n~~~~\n"
    out, notes = convert_markup(f"{text}\n\n{fenced}{text}", flavor, PATH, 1, POSTS.get)
    assert fenced in out
    assert notes == []
    span = "``" + code.replace("\n", " ").strip("`") + "``"
    if span.strip("`").strip():
        out, notes = convert_markup(f"{text} {span} {text}", flavor, PATH, 1, POSTS.get)
        assert f" {span} " in out
        assert notes == []


@pytest.mark.parametrize("body", [
    "{% " * 100_000, "{{ " * 100_000, "{{< " * 100_000, "{% raw %} " * 100_000, "`a``b```" * 40_000,
    "```\n" * 100_000, "![a](b){: .c} " * 50_000, "{% highlight x %}\n" * 50_000, " " * 1_000_000 + "{% x %}",
    "## a {#b}\n" * 50_000, "{::comment}" * 100_000, "{# " * 100_000,
    "para {% post_url 2010-07-21-name %} {{ site.url }}/a `{% if %}` {: .x}\n{{< youtube abcdefgh >}}\n\n"
    "```\n{% x %}\n```\n" * 10_000,
], ids=lambda b: repr(b[:12]))
def test_hostile_bodies_take_linear_time(body: str) -> None:
    for flavor in FLAVORS:
        began = time.perf_counter()
        convert_markup(body, flavor, PATH, 1, POSTS.get)
        assert time.perf_counter() - began < 3.0, flavor
