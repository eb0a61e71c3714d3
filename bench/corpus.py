"""Generate a blog of N Arabic posts for benchmarks, as a sitegen, Hugo or Pelican site.

The three flavors hold the same posts (titles, dates, tags, descriptions, Markdown bodies) and comparable themes:
a paginated home page, one page per post (with its table of contents and reading time), paginated tag pages, a
tag index, an archive and an RSS feed of the 20 newest posts.

The text is drawn from the sample blog's posts (content/posts/*.md of this repository): sentences, headings and
list items, recombined by a seeded random generator, so a corpus is the same on every machine for the same
arguments and the same sample posts. Each post has about 800 words, `##`/`###` headings, a bulleted and a numbered
list, a fenced code block, a quotation, bold text, a link to another post and an external link, and 2 to 4 of 30
tags (some tags much more common than others, as on a real blog).

    python bench/corpus.py --posts 1000 --out /tmp/blog --flavor sitegen
    python bench/corpus.py --posts 10000 --out /tmp/blog-hugo --flavor hugo

As a module: `generate(posts=1000, out=Path(...), flavor="hugo")` returns a `Corpus` naming the posts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

FLAVORS = ("sitegen", "hugo", "pelican")
SLUGS = ("arabic", "ascii")
REPO = Path(__file__).resolve().parent.parent
SAMPLE_POSTS = REPO / "content" / "posts"
SITEGEN_THEME_CSS = REPO / "themes" / "default" / "static" / "style.css"
GENERATOR_VERSION = 2
"""Bumped whenever the output for the same arguments changes."""

ZONE = timezone(timedelta(hours=3))  # Asia/Riyadh has no daylight saving time: a fixed +03:00 is exact
FIRST_DATE = datetime(2012, 1, 1, 8, 0, tzinfo=ZONE)
LAST_DATE = datetime(2025, 12, 1, 8, 0, tzinfo=ZONE)

SITE_TITLE = "مدونة القياس"
SITE_DESCRIPTION = "مدونة مولَّدة لقياس سرعة مولّدات المواقع: مقالات عن الشبكات المهنية والعمل والتقنية."
AUTHOR = "كاتب المدونة"

TAGS = (
    "الشبكات المهنية", "مسار مهني", "مقابلات العمل", "مهارات", "التقنية", "LinkedIn", "Meetup",
    "مجتمعات الممارسة", "القيادة", "الإرشاد المهني", "التواصل", "ريادة الأعمال", "العمل عن بعد", "التعلم المستمر",
    "بناء الثقة", "الكتابة المهنية", "التدوين", "المؤتمرات", "التطوع", "السيرة الذاتية", "التفاوض",
    "إدارة الوقت", "العلامة الشخصية", "فرق العمل", "البرمجة", "المصادر المفتوحة", "الذكاء الاصطناعي",
    "الخريجون الجدد", "تغيير المسار", "الإنتاجية",
)
assert len(TAGS) == len(set(TAGS)) == 30

_CODE_SNIPPETS = (
    ("python", "def {a}({b}, {c}=3):\n    \"\"\"{comment}\"\"\"\n    {d} = [x for x in {b} if x.get(\"{e}\")]\n"
               "    return sorted({d}, key=lambda x: x[\"{e}\"])[:{c}]\n\n\nprint({a}([{{\"{e}\": 2}}, {{\"{e}\": 1}}]))"),
    ("javascript", "const {a} = async ({b}) => {{\n  // {comment}\n  const {d} = await fetch(`/api/${{{b}}}`);\n"
                   "  if (!{d}.ok) throw new Error(\"{e}\");\n  return {d}.json();\n}};"),
    ("bash", "# {comment}\nfor {b} in $(ls {e}/); do\n  echo \"{a}: ${b}\"\ndone | sort | uniq -c > {d}.txt"),
    ("yaml", "# {comment}\n{a}:\n  {b}: true\n  {c}: 3\n  {d}:\n    - {e}\n    - {a}-{e}"),
    ("json", "{{\n  \"{a}\": \"{comment}\",\n  \"{b}\": [1, 2, 3],\n  \"{c}\": {{\"{d}\": \"{e}\"}}\n}}"),
    ("go", "// {comment}\nfunc {a}({b} []string) map[string]int {{\n\t{d} := map[string]int{{}}\n"
           "\tfor _, {c} := range {b} {{\n\t\t{d}[{c}]++\n\t}}\n\treturn {d}\n}}"),
)
_IDENTIFIERS = ("contacts", "network", "mentor", "profile", "events", "invite", "follow_up", "skills", "career",
                "meetup", "reply", "score", "limit", "people", "message", "topics", "weekly", "notes", "links", "team")
_ARABIC_WORD = re.compile(r"[\u0621-\u064A\u0660-\u0669]{3,}")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    sentences: tuple[str, ...]
    headings: tuple[str, ...]
    items: tuple[str, ...]
    words: tuple[str, ...]

    @property
    def digest(self) -> str:
        data = json.dumps([self.sentences, self.headings, self.items], ensure_ascii=False).encode()
        return hashlib.sha256(data).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class PostSpec:
    """One generated post, independent of the generator it is written for."""

    index: int
    slug: str
    title: str
    date: datetime
    tags: tuple[str, ...]
    description: str
    body: str
    """Markdown, with `<!--more-->` after the introduction."""


@dataclass(frozen=True, slots=True)
class Corpus:
    """What `generate` wrote: the site's root and, for each post, its source file and URL path."""

    root: Path
    flavor: str
    posts: tuple[PostSpec, ...]
    files: tuple[Path, ...]
    """Source file of each post, in the order of `posts` (oldest first)."""
    words: int

    def url(self, index: int) -> str:
        """Site-relative URL of post `index` ('/posts/<slug>/'), the same in every flavor."""
        return post_url(self.posts[index].slug)

    @property
    def newest(self) -> int:
        return len(self.posts) - 1


def post_url(slug: str) -> str:
    return f"/posts/{slug}/"


# ---------------------------------------------------------------------------------------------------------------
# Vocabulary


def _clean(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    text = text.replace("**", "").replace("__", "").replace("`", "")
    return re.sub(r"\s+", " ", text).strip()


def load_vocabulary(folder: Path = SAMPLE_POSTS) -> Vocabulary:
    """Sentences, headings, list items and words of the Markdown files in `folder`."""
    files = sorted(folder.glob("*.md"))
    if not files:
        raise SystemExit(f"corpus: no Markdown posts in {folder} to take the vocabulary from (see --vocabulary)")
    sentences: list[str] = []
    headings: list[str] = []
    items: list[str] = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        if text.startswith("---"):
            end = text.find("\n---", 3)
            text = text[end + 4:] if end >= 0 else text
        in_code = False
        for raw in text.splitlines():
            line = raw.strip()
            if line.startswith("```"):
                in_code = not in_code
                continue
            if in_code or not line or line.startswith(("|", "<", "![")) or line == "---":
                continue
            line = line.lstrip(">").strip()
            if line.startswith("#"):
                heading = _clean(re.sub(r"^#+\s*(\d+\s+)?", "", line))
                if 2 <= len(heading.split()) <= 10:
                    headings.append(heading)
                continue
            item = re.match(r"^(?:[-*+]|\d+[.)])\s+(.*)$", line)
            if item:
                text_item = _clean(item.group(1))
                if 2 <= len(text_item.split()) <= 40:
                    items.append(text_item)
                continue
            for sentence in _SENTENCE_END.split(_clean(line)):
                if 4 <= len(sentence.split()) <= 45 and _ARABIC_WORD.search(sentence):
                    sentences.append(sentence)
    words = sorted({w for s in sentences + headings for w in _ARABIC_WORD.findall(s)})
    if len(sentences) < 20 or len(headings) < 5 or len(items) < 5:
        raise SystemExit(f"corpus: too little text in {folder} ({len(sentences)} sentences)")
    # dict.fromkeys: drop duplicates, keep the first-seen order (deterministic)
    return Vocabulary(tuple(dict.fromkeys(sentences)), tuple(dict.fromkeys(headings)), tuple(dict.fromkeys(items)),
                      tuple(words))


# ---------------------------------------------------------------------------------------------------------------
# Posts


class _Writer:
    """Builds one post body, counting prose words."""

    def __init__(self, rng: random.Random, vocab: Vocabulary) -> None:
        self.rng = rng
        self.vocab = vocab
        self.blocks: list[str] = []
        self.words = 0

    def _count(self, text: str) -> str:
        self.words += len(text.split())
        return text

    def paragraph(self, low: int = 2, high: int = 4, extra: str = "") -> None:
        picked = self.rng.sample(self.vocab.sentences, self.rng.randint(low, high))
        if self.rng.random() < 0.3:  # some bold text
            words = picked[0].split()
            cut = self.rng.randint(1, min(4, len(words)))
            picked[0] = "**" + " ".join(words[:cut]) + "** " + " ".join(words[cut:])
        text = " ".join(picked)
        self._count(text)
        self.blocks.append(text + extra)

    def heading(self, level: int) -> None:
        self.blocks.append("#" * level + " " + self._count(self.rng.choice(self.vocab.headings)))

    def bullets(self, ordered: bool = False) -> None:
        items = self.rng.sample(self.vocab.items, self.rng.randint(3, 6))
        lines = [(f"{n}. " if ordered else "- ") + self._count(item) for n, item in enumerate(items, 1)]
        self.blocks.append("\n".join(lines))

    def quote(self) -> None:
        self.blocks.append("> " + self._count(self.rng.choice(self.vocab.sentences)))

    def code(self) -> None:
        language, template = self.rng.choice(_CODE_SNIPPETS)
        names = self.rng.sample(_IDENTIFIERS, 5)
        comment = "example: " + " ".join(self.rng.sample(_IDENTIFIERS, 3))
        body = template.format(a=names[0], b=names[1], c=names[2], d=names[3], e=names[4], comment=comment)
        self.blocks.append(f"```{language}\n{body}\n```")

    def links(self, other_slug: str, other_title: str, host_word: str) -> None:
        sentences = self.rng.sample(self.vocab.sentences, 2)
        text = (f"{sentences[0]} اقرأ أيضًا: [{other_title}]({post_url(other_slug)}). {sentences[1]} "
                f"وللمزيد راجع [هذا المرجع](https://example.com/{host_word}/{self.rng.randint(1, 9999)}).")
        self._count(text)
        self.blocks.append(text)


def _pick_tags(rng: random.Random, index: int, weights: list[float]) -> tuple[str, ...]:
    count = rng.randint(2, 4)
    chosen: list[str] = [TAGS[index]] if index < len(TAGS) else []  # every tag is used at least once
    while len(chosen) < count:
        tag = rng.choices(TAGS, weights)[0]
        if tag not in chosen:
            chosen.append(tag)
    return tuple(chosen)


def make_posts(count: int, *, seed: int = 1, words: int = 800, vocab: Vocabulary | None = None,
               slugs: str = "arabic") -> list[PostSpec]:
    """`count` posts, oldest first; the same arguments give the same posts. `slugs`: 'arabic' (words of the title,
    as the sample blog's) or 'ascii' ('post-00042')."""
    vocab = vocab or load_vocabulary()
    rng = random.Random(f"sitegen-bench:{seed}:{count}:{words}")
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(TAGS))]
    step = (LAST_DATE - FIRST_DATE) / max(count, 1)
    specs: list[tuple[str, str]] = []
    used: set[str] = set()
    for index in range(count):
        title_words = rng.sample(vocab.words, rng.randint(3, 6))
        title = " ".join(title_words)
        slug = "-".join(title_words[:3]) + f"-{index + 1}" if slugs == "arabic" else f"post-{index + 1:05d}"
        assert slug not in used
        used.add(slug)
        specs.append((slug, title))
    posts: list[PostSpec] = []
    for index, (slug, title) in enumerate(specs):
        date = FIRST_DATE + step * index + timedelta(minutes=rng.randint(0, max(0, int(step.total_seconds() / 120))))
        date = date.replace(second=0, microsecond=0)
        w = _Writer(rng, vocab)
        w.paragraph(2, 3)
        w.paragraph(2, 4, extra="\n\n<!--more-->")
        other = rng.randrange(count)
        sections = 0
        while w.words < words or sections < 5:
            kind = sections % 5
            w.heading(2)
            w.paragraph()
            if kind == 0:
                w.bullets()
                w.paragraph(1, 2)
            elif kind == 1:
                w.heading(3)
                w.paragraph()
                w.bullets(ordered=True)
            elif kind == 2:
                w.links(specs[other][0], specs[other][1], rng.choice(_IDENTIFIERS))
                w.code()
            elif kind == 3:
                w.quote()
                w.paragraph(1, 3)
            sections += 1
            if sections > 40:
                break
        description = rng.choice(vocab.sentences)
        if len(description) > 160:
            description = description[:157].rsplit(" ", 1)[0] + "…"
        posts.append(PostSpec(index, slug, title, date, _pick_tags(rng, index, weights), description,
                              "\n\n".join(w.blocks) + "\n"))
    return posts


# ---------------------------------------------------------------------------------------------------------------
# Writers


def _yaml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _yaml_front_matter(post: PostSpec, *, slug: bool) -> str:
    lines = ["---", f"title: {_yaml_str(post.title)}", f"date: {post.date.isoformat()}"]
    if slug:
        lines.append(f"slug: {_yaml_str(post.slug)}")
    lines.append("tags:")
    lines += [f"  - {_yaml_str(tag)}" for tag in post.tags]
    lines += [f"description: {_yaml_str(post.description)}", "---", ""]
    return "\n".join(lines)


def sitegen_post(post: PostSpec) -> str:
    return _yaml_front_matter(post, slug=False) + "\n" + post.body


def hugo_post(post: PostSpec) -> str:
    return _yaml_front_matter(post, slug=True) + "\n" + post.body


def pelican_post(post: PostSpec) -> str:
    head = [f"Title: {post.title}", f"Date: {post.date.strftime('%Y-%m-%d %H:%M')}", f"Slug: {post.slug}",
            f"Tags: {', '.join(post.tags)}", f"Summary: {post.description}"]
    return "\n".join(head) + "\n\n" + post.body


ABOUT_TEXT = "هذه مدونة مولَّدة آليًا لقياس سرعة مولّدات المواقع الثابتة. نصوصها مأخوذة من المدونة النموذجية.\n"

SITEGEN_CONFIG = f"""\
# Generated by bench/corpus.py: a benchmark blog.
title: {SITE_TITLE}
description: {_yaml_str(SITE_DESCRIPTION)}
base_url: http://127.0.0.1:8000/
language: ar
timezone: Asia/Riyadh
posts_per_page: 10
permalink: /posts/{{slug}}/
theme: default
feed_limit: 20
# Hugo and Pelican draw no share cards and make no search index: neither does sitegen here, so the three do the
# same work (bench/cards.py and bench/search.py measure what those cost).
share_cards: false
search: false
author:
  name: {AUTHOR}
  bio: نبذة قصيرة عن الكاتب.
  email: author@example.com
"""

HUGO_CONFIG = f"""\
# Generated by bench/corpus.py: a benchmark blog, the same posts and pages as the sitegen flavor.
baseURL = "http://127.0.0.1:1313/"
title = "{SITE_TITLE}"
locale = "ar"
defaultContentLanguage = "ar"
timeZone = "Asia/Riyadh"
enableRobotsTXT = true
disableKinds = []

[languages.ar]
  direction = "rtl"
  weight = 1

[params]
  description = "{SITE_DESCRIPTION}"
  author = "{AUTHOR}"

[pagination]
  pagerSize = 10

[permalinks.page]
  posts = "/posts/:slug/"

[taxonomies]
  tag = "tags"

[outputs]
  home = ["html", "rss"]
  section = ["html"]
  taxonomy = ["html"]
  term = ["html"]

[services.rss]
  limit = 20

[markup.tableOfContents]
  startLevel = 2
  endLevel = 4
  ordered = true
"""

HUGO_LAYOUTS = {
    "baseof.html": """\
<!DOCTYPE html>
<html lang="{{ site.Language.Locale }}" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ site.Params.description }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ with site.Home.OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" title="{{ site.Title }} (RSS)" href="{{ .Permalink }}">{{ end }}
<link rel="stylesheet" href="/style.css">
</head>
<body>
<a class="skip-link" href="#main">تخطَّ إلى المحتوى</a>
<header class="site-header">
  <a class="site-title" href="/">{{ site.Title }}</a>
  <nav aria-label="الرئيسية">
    <ul>
      <li><a href="/">الرئيسية</a></li>
      <li><a href="/posts/">الأرشيف</a></li>
      <li><a href="/tags/">الوسوم</a></li>
      {{ range site.Home.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
    </ul>
  </nav>
</header>
<main id="main">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer">
  <p>© {{ site.Params.author }} · <a href="/index.xml">خلاصة RSS</a></p>
</footer>
</body>
</html>
""",
    "_partials/post_meta.html": """\
<p class="post-meta">
  {{- if not .Date.IsZero }}<time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date | time.Format ":date_long" }}</time> · {{ end -}}
  <span>{{ .ReadingTime }} دقيقة قراءة</span>
  {{- with .GetTerms "tags" }} · {{ range $i, $t := . }}{{ if $i }}، {{ end }}<a class="tag" href="{{ $t.RelPermalink }}">{{ $t.LinkTitle }}</a>{{ end }}{{ end -}}
</p>
""",
    "_partials/post_summary.html": """\
<article class="summary" lang="ar" dir="rtl">
  <h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
  {{ partial "post_meta.html" . }}
  <div class="summary-text">{{ .Summary }}</div>
  {{ if .Truncated }}<p><a class="read-more" href="{{ .RelPermalink }}">اقرأ المزيد<span class="visually-hidden">: {{ .Title }}</span></a></p>{{ end }}
</article>
""",
    "_partials/pagination.html": """\
{{ if gt .TotalPages 1 }}
<nav class="pagination" aria-label="الصفحة {{ .PageNumber }} من {{ .TotalPages }}">
  {{ with .Prev }}<a rel="prev" href="{{ .URL }}">الصفحة السابقة</a>{{ end }}
  <span>الصفحة {{ .PageNumber }} من {{ .TotalPages }}</span>
  {{ with .Next }}<a rel="next" href="{{ .URL }}">الصفحة التالية</a>{{ end }}
</nav>
{{ end }}
""",
    "home.html": """\
{{ define "main" }}
{{ $pager := .Paginate (site.GetPage "/posts").RegularPages }}
{{ if eq $pager.PageNumber 1 }}<p class="site-description">{{ site.Params.description }}</p>{{ end }}
<h1 class="visually-hidden">أحدث المقالات</h1>
{{ range $pager.Pages }}{{ partial "post_summary.html" . }}{{ else }}<p>لا توجد مقالات بعد.</p>{{ end }}
{{ partial "pagination.html" $pager }}
{{ end }}
""",
    "single.html": """\
{{ define "main" }}
<article class="post">
  <header>
    <h1>{{ .Title }}</h1>
    {{ if eq .Section "posts" }}{{ partial "post_meta.html" . }}{{ end }}
  </header>
  {{ if gt (len .Fragments.Headings) 1 }}
  <nav class="toc" aria-labelledby="toc-title">
    <h2 id="toc-title">المحتويات</h2>
    {{ .TableOfContents }}
  </nav>
  {{ end }}
  <div class="post-body">
{{ .Content }}
  </div>
</article>
{{ end }}
""",
    "section.html": """\
{{ define "main" }}
<h1>الأرشيف</h1>
{{ range .Pages.GroupByDate "2006" }}
<section class="archive-year" aria-labelledby="year-{{ .Key }}">
  <h2 id="year-{{ .Key }}">{{ .Key }}</h2>
  <ul>
  {{ range .Pages }}<li><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date | time.Format "2 January" }}</time> — <a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
  {{ end }}
  </ul>
</section>
{{ else }}<p>لا توجد مقالات بعد.</p>{{ end }}
{{ end }}
""",
    "taxonomy.html": """\
{{ define "main" }}
<h1>كل الوسوم</h1>
<ul class="tag-index">
{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> <span class="count">({{ .Count }} مقال)</span></li>
{{ end }}
</ul>
{{ end }}
""",
    "term.html": """\
{{ define "main" }}
<h1>مقالات بوسم «{{ .Title }}»</h1>
<p>{{ len .Pages }} مقال</p>
{{ $pager := .Paginate .Pages }}
{{ range $pager.Pages }}{{ partial "post_summary.html" . }}{{ end }}
{{ partial "pagination.html" $pager }}
{{ end }}
""",
    "404.html": """\
{{ define "main" }}
<h1>الصفحة غير موجودة</h1>
<p>لم نجد الصفحة التي تبحث عنها. <a href="/">العودة إلى الصفحة الرئيسية</a></p>
{{ end }}
""",
}

PELICAN_CONFIG = f"""\
# Generated by bench/corpus.py: a benchmark blog, the same posts and pages as the sitegen flavor.
AUTHOR = "{AUTHOR}"
SITENAME = "{SITE_TITLE}"
SITESUBTITLE = "{SITE_DESCRIPTION}"
SITEURL = "http://127.0.0.1:8000"
PATH = "content"
TIMEZONE = "Asia/Riyadh"
DEFAULT_LANG = "ar"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
THEME = "theme"
DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {{"index": None, "tag": None}}
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
ARTICLE_URL = "posts/{{slug}}/"
ARTICLE_SAVE_AS = "posts/{{slug}}/index.html"
PAGE_URL = "{{slug}}/"
PAGE_SAVE_AS = "{{slug}}/index.html"
TAG_URL = "tags/{{slug}}/"
TAG_SAVE_AS = "tags/{{slug}}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
ARCHIVES_SAVE_AS = "archive/index.html"
PAGINATION_PATTERNS = ((1, "{{url}}", "{{save_as}}"), (2, "{{base_name}}/page/{{number}}/",
                       "{{base_name}}/page/{{number}}/index.html"))
DIRECT_TEMPLATES = ["index", "tags", "archives"]
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARTICLE_LANG_SAVE_AS = ""
PAGE_LANG_SAVE_AS = ""
FEED_ALL_RSS = "feed.xml"
FEED_ALL_ATOM = "atom.xml"
FEED_MAX_ITEMS = 20
RSS_FEED_SUMMARY_ONLY = False
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DELETE_OUTPUT_DIRECTORY = False
STATIC_PATHS = ["static"]
EXTRA_PATH_METADATA = {{"static/style.css": {{"path": "style.css"}}}}
MARKDOWN = {{
    "extension_configs": {{
        "markdown.extensions.codehilite": {{"css_class": "highlight"}},
        "markdown.extensions.extra": {{}},
        "markdown.extensions.meta": {{}},
        "markdown.extensions.toc": {{}},
    }},
    "output_format": "html5",
}}
"""

PELICAN_TEMPLATES = {
    "base.html": """\
<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ SITENAME }}{% endblock %}</title>
<link rel="alternate" type="application/rss+xml" title="{{ SITENAME }} (RSS)" href="/{{ FEED_ALL_RSS }}">
<link rel="stylesheet" href="/style.css">
</head>
<body>
<a class="skip-link" href="#main">تخطَّ إلى المحتوى</a>
<header class="site-header">
  <a class="site-title" href="/">{{ SITENAME }}</a>
  <nav aria-label="الرئيسية"><ul>
    <li><a href="/">الرئيسية</a></li><li><a href="/archive/">الأرشيف</a></li><li><a href="/tags/">الوسوم</a></li>
    {% for p in pages %}<li><a href="/{{ p.url }}">{{ p.title }}</a></li>{% endfor %}
  </ul></nav>
</header>
<main id="main">{% block main %}{% endblock %}</main>
<footer class="site-footer"><p>© {{ AUTHOR }} · <a href="/{{ FEED_ALL_RSS }}">خلاصة RSS</a></p></footer>
</body>
</html>
""",
    "_meta.html": """\
<p class="post-meta"><time datetime="{{ article.date.isoformat() }}">{{ article.locale_date }}</time>
{%- for tag in article.tags %}{% if loop.first %} · {% else %}، {% endif %}<a class="tag" href="/{{ tag.url }}">{{ tag }}</a>{% endfor %}</p>
""",
    "_summaries.html": """\
{% for article in articles_page.object_list %}
<article class="summary"><h2><a href="/{{ article.url }}">{{ article.title }}</a></h2>
{% include "_meta.html" %}
<div class="summary-text">{{ article.summary }}</div>
<p><a class="read-more" href="/{{ article.url }}">اقرأ المزيد</a></p></article>
{% endfor %}
{% if articles_page.has_other_pages() %}<nav class="pagination">
{% if articles_page.has_previous() %}<a rel="prev" href="/{{ articles_previous_page.url }}">الصفحة السابقة</a>{% endif %}
<span>الصفحة {{ articles_page.number }} من {{ articles_paginator.num_pages }}</span>
{% if articles_page.has_next() %}<a rel="next" href="/{{ articles_next_page.url }}">الصفحة التالية</a>{% endif %}
</nav>{% endif %}
""",
    "index.html": """\
{% extends "base.html" %}
{% block main %}<h1 class="visually-hidden">أحدث المقالات</h1>{% include "_summaries.html" %}{% endblock %}
""",
    "article.html": """\
{% extends "base.html" %}
{% block title %}{{ article.title }} · {{ SITENAME }}{% endblock %}
{% block main %}<article class="post"><header><h1>{{ article.title }}</h1>{% include "_meta.html" %}</header>
{% if article.toc %}<nav class="toc"><h2>المحتويات</h2>{{ article.toc }}</nav>{% endif %}
<div class="post-body">{{ article.content }}</div></article>{% endblock %}
""",
    "page.html": """\
{% extends "base.html" %}
{% block title %}{{ page.title }} · {{ SITENAME }}{% endblock %}
{% block main %}<article class="post"><h1>{{ page.title }}</h1><div class="post-body">{{ page.content }}</div></article>{% endblock %}
""",
    "tag.html": """\
{% extends "base.html" %}
{% block title %}{{ tag }} · {{ SITENAME }}{% endblock %}
{% block main %}<h1>مقالات بوسم «{{ tag }}»</h1>{% include "_summaries.html" %}{% endblock %}
""",
    "tags.html": """\
{% extends "base.html" %}
{% block main %}<h1>كل الوسوم</h1><ul class="tag-index">
{% for tag, articles in tags | sort(attribute="0.name") %}<li><a href="/{{ tag.url }}">{{ tag }}</a> <span class="count">({{ articles | length }} مقال)</span></li>{% endfor %}
</ul>{% endblock %}
""",
    "archives.html": """\
{% extends "base.html" %}
{% block main %}<h1>الأرشيف</h1>
{% for year, items in dates | groupby("date.year") | reverse %}<section class="archive-year"><h2>{{ year }}</h2><ul>
{% for article in items | reverse %}<li><time datetime="{{ article.date.isoformat() }}">{{ article.locale_date }}</time> — <a href="/{{ article.url }}">{{ article.title }}</a></li>{% endfor %}
</ul></section>{% endfor %}{% endblock %}
""",
    "period_archives.html": """{% extends "archives.html" %}\n""",
    "category.html": """{% extends "index.html" %}\n""",
    "author.html": """{% extends "index.html" %}\n""",
    "categories.html": """{% extends "tags.html" %}\n""",
    "authors.html": """{% extends "tags.html" %}\n""",
}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _css() -> str:
    return SITEGEN_THEME_CSS.read_text(encoding="utf-8") if SITEGEN_THEME_CSS.is_file() else "body{margin:2rem}\n"


def write_site(posts: list[PostSpec], out: Path, flavor: str) -> list[Path]:
    """Write the site of `flavor` into `out` (which must be empty or absent); return each post's source file."""
    if flavor not in FLAVORS:
        raise ValueError(f"unknown flavor {flavor!r}; one of {', '.join(FLAVORS)}")
    files: list[Path] = []
    if flavor == "sitegen":
        _write(out / "sitegen.yaml", SITEGEN_CONFIG)
        _write(out / "content" / "pages" / "about.md",
               "---\ntitle: عن المدونة\n---\n\n" + ABOUT_TEXT)
        folder = out / "content" / "posts"
        render = sitegen_post
    elif flavor == "hugo":
        _write(out / "hugo.toml", HUGO_CONFIG)
        for name, text in HUGO_LAYOUTS.items():
            _write(out / "layouts" / name, text)
        _write(out / "static" / "style.css", _css())
        _write(out / "content" / "about.md", "---\ntitle: عن المدونة\nslug: about\n---\n\n" + ABOUT_TEXT)
        folder = out / "content" / "posts"
        render = hugo_post
    else:
        _write(out / "pelicanconf.py", PELICAN_CONFIG)
        for name, text in PELICAN_TEMPLATES.items():
            _write(out / "theme" / "templates" / name, text)
        _write(out / "content" / "static" / "style.css", _css())
        _write(out / "content" / "pages" / "about.md", "Title: عن المدونة\nSlug: about\n\n" + ABOUT_TEXT)
        folder = out / "content" / "posts"
        render = pelican_post
    folder.mkdir(parents=True, exist_ok=True)
    for post in posts:
        path = folder / f"{post.slug}.md"
        path.write_text(render(post), encoding="utf-8")
        files.append(path)
    return files


def generate(posts: int, out: Path, flavor: str = "sitegen", *, seed: int = 1, words: int = 800,
             force: bool = False, vocabulary: Path = SAMPLE_POSTS, slugs: str = "arabic") -> Corpus:
    """Generate the blog into `out`. An existing non-empty `out` is refused unless `force`, which empties it."""
    if out.exists() and any(out.iterdir()):
        if not force:
            raise SystemExit(f"corpus: {out} is not empty (pass --force to replace it)")
        shutil.rmtree(out)
    vocab = load_vocabulary(vocabulary)
    specs = make_posts(posts, seed=seed, words=words, vocab=vocab, slugs=slugs)
    files = write_site(specs, out, flavor)
    total_words = sum(len(p.body.split()) for p in specs)
    manifest = {"generator_version": GENERATOR_VERSION, "flavor": flavor, "posts": posts, "seed": seed,
                "words": words, "slugs": slugs, "vocabulary": vocab.digest, "total_words": total_words,
                "newest_url": post_url(specs[-1].slug) if specs else None}
    _write(out / "bench-corpus.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return Corpus(out, flavor, tuple(specs), tuple(files), total_words)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate an Arabic benchmark blog for sitegen, Hugo or Pelican.")
    parser.add_argument("--posts", "-n", type=int, default=1000, help="number of posts (default: 1000)")
    parser.add_argument("--out", "-o", type=Path, required=True, help="folder to write the site to")
    parser.add_argument("--flavor", "-f", choices=FLAVORS, action="append", dest="flavors",
                        help="sitegen (default), hugo or pelican; repeat for several (then OUT/<flavor>/)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument("--words", type=int, default=800, help="about how many words a post has (default: 800)")
    parser.add_argument("--vocabulary", type=Path, default=SAMPLE_POSTS,
                        help="folder of Markdown posts to draw the text from (default: the sample blog)")
    parser.add_argument("--slugs", choices=SLUGS, default="arabic",
                        help="post URLs from Arabic title words (default) or ASCII 'post-00042'")
    parser.add_argument("--force", action="store_true", help="replace OUT if it is not empty")
    args = parser.parse_args(argv)
    flavors = list(dict.fromkeys(args.flavors or ["sitegen"]))
    if args.posts < 1:
        parser.error("--posts must be at least 1")
    for flavor in flavors:
        out = args.out / flavor if len(flavors) > 1 else args.out
        started = time.perf_counter()
        corpus = generate(args.posts, out, flavor, seed=args.seed, words=args.words, force=args.force,
                          vocabulary=args.vocabulary, slugs=args.slugs)
        print(f"{flavor}: {len(corpus.posts)} posts, {corpus.words} words, in {out} "
              f"({time.perf_counter() - started:.1f} s); newest post: {corpus.url(corpus.newest)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
