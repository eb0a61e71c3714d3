"""Bad input, one distinct case each: the files of a site (over helpers.make_site's standard one) and the exact
stderr `sitegen build` prints for it. Checked by the build (test_invalid_sites.py) and by the preview
(test_bad_input_preview.py)."""

from __future__ import annotations

from .helpers import CONFIG, POST, Files, Link

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
INVALID_YAML_HINT = "  hint: write the list or mapping out again where it is needed\n"
DATE_HINT = "  hint: use YYYY-MM-DD, or YYYY-MM-DD HH:MM with an optional time zone such as +03:00\n"
LOOP = "error: symbolic link loop: following this link leads back to where it is (it points to "
LOOP_HINT = "  hint: remove the link, or point it at the file or folder you mean\n"
OUTSIDE = "error: this symbolic link leads out of the site, to "
OUTSIDE_HINT = ("  hint: copy what it points to into the site: sitegen publishes only files inside the site's "
                "folder or its theme's\n")
NOT_UTF8_NAME = "  hint: rename the {0}: names become the site's addresses, which must be UTF-8\n"
E_ACUTE = "\udce9"
"""The byte 0xe9 (é in Latin-1) in a file name, as Python writes a byte of a name that is not UTF-8."""
NUL_HINT = "  hint: remove the NUL characters, or save the file again as UTF-8 text\n"
FIELD_HINT = "  hint: a field is a name alone in braces, such as {n}; write '{{' and '}}' for a brace\n"
WORD_HINT = "  hint: write one text, or a text per plural form: one: ..., other: ...\n"
PERMALINK_HINT = "  hint: fields: {day} {lang} {month} {slug} {year}\n"

CASES: dict[str, tuple[Files, str]] = {
    # front matter
    "front matter not closed": (
        {"content/posts/x.md": "---\ntitle: x\n\nbody\n"},
        "content/posts/x.md:1:1: error: front matter is not closed\n"
        "     1 | ---\n"
        "       | ^\n"
        "  hint: add a line '---' after the last key of the front matter\n",
    ),
    "front matter is a list": (
        {"content/posts/x.md": "---\n- a\n- b\n---\nbody\n"},
        "content/posts/x.md:2:1: error: front matter must be a mapping of keys to values, not a list\n"
        "     2 | - a\n"
        "       | ^\n"
        "  hint: write one 'key: value' per line\n",
    ),
    "front matter is a single value": (
        {"content/posts/x.md": "---\njust a sentence\n---\nbody\n"},
        "content/posts/x.md:2:1: error: front matter must be a mapping of keys to values, not a single value\n"
        "     2 | just a sentence\n"
        "       | ^\n"
        "  hint: write one 'key: value' per line\n",
    ),
    "bad yaml, mapped to the file's line": (
        {"content/posts/x.md": "---\ntitle: ok\ndescription: a: b\n---\nbody\n"},
        "content/posts/x.md:3:15: error: invalid YAML: mapping values are not allowed here\n"
        "     3 | description: a: b\n"
        "       |               ^\n"
        "  hint: a value containing ': ' must be quoted, e.g. title: \"Networking: why it matters\"\n",
    ),
    "a tab indenting YAML": (
        {"content/posts/x.md": "---\ntitle: t\nauthor:\n\tname: x\n---\n"},
        "content/posts/x.md:4:1: error: invalid YAML: found character '\\t' that cannot start any token\n"
        "     4 | \tname: x\n"
        "       | ^\n"
        "  hint: YAML does not allow tabs for indentation; use spaces\n",
    ),
    "duplicate key": (
        {"content/posts/x.md": "---\ntitle: a\ndate: 2025-03-01\ntitle: b\n---\n"},
        "content/posts/x.md:4:1: error: duplicate key 'title' (first set on line 2)\n"
        "     4 | title: b\n"
        "       | ^\n"
        "  hint: keep one of the two\n",
    ),
    "TOML front matter, mapped to the file's line and column": (
        {"content/posts/x.md": '+++\ntitle = "a"\ndraft = = true\n+++\n'},
        "content/posts/x.md:3:9: error: TOML front matter cannot be read: Invalid value\n"
        "     3 | draft = = true\n"
        "       |         ^\n",
    ),
    "JSON front matter, mapped to the file's line and column": (
        {"content/posts/x.md": '{\n  "title": "a"\n  "draft": true\n}\n'},
        "content/posts/x.md:3:3: error: JSON front matter cannot be read: Expecting ',' delimiter\n"
        '     3 |   "draft": true\n'
        "       |   ^\n",
    ),
    "Eleventy's JavaScript front matter": (
        {"content/posts/x.md": "---js\n{ draft: true }\n---\n"},
        "content/posts/x.md:1:1: error: front matter in 'js' is not read by sitegen\n"
        "     1 | ---js\n"
        "       | ^\n"
        "  hint: write its values as YAML between '---' lines (sitegen does not run JavaScript)\n",
    ),
    "Pelican's metadata lines": (
        {"content/posts/x.md": "Title: a\nDate: 2020-01-01\nStatus: draft\n\nbody\n"},
        "content/posts/x.md:1:1: error: this file starts with 'Key: value' metadata lines (Pelican's or "
        "MultiMarkdown's), which sitegen does not read\n"
        "     1 | Title: a\n"
        "       | ^\n"
        "  hint: put these lines between two '---' lines, as YAML front matter\n",
    ),
    "published that is not true or false; a TOML image mapping and tags as text": (
        {"content/posts/x.md": POST + "published: no way\n---\n",
         "content/posts/y.md": '+++\ntitle = "a"\ndate = 2025-03-01\ntags = "x y"\nimage = {src = "javascript:x"}\n'
                               "+++\n"},
        "content/posts/x.md:4:1: error: 'published' must be true or false, not 'no way'\n"
        "     4 | published: no way\n"
        "       | ^\n"
        "content/posts/y.md:5:1: error: image 'javascript:x' must be an absolute http(s) URL, or a path of the site\n"
        '     5 | image = {src = "javascript:x"}\n'
        "       | ^\n"
        "  hint: a file beside the post, such as cover.jpg, or an https:// address\n"
        "content/posts/y.md:4:1: warning: 'tags' is split at its spaces into 2 tags, as Jekyll does: x, y\n"
        '     4 | tags = "x y"\n'
        "       | ^\n"
        "  hint: write a list to keep 'x y' as one tag: tags = [\"x y\"]\n",
    ),
    "every problem of every file at once": (
        {
            "content/posts/a.md": "---\ntitle: a\ndate: yesterday\ntags: 3\n---\n",
            "content/posts/b.md": "---\ntitle: b\ndate: 2025-01-01\ndraft: maybe\n---\n",
        },
        "content/posts/a.md:3:1: error: date 'yesterday' is not a date\n"
        "     3 | date: yesterday\n"
        "       | ^\n"
        + DATE_HINT +
        "content/posts/a.md:4:1: error: 'tags' must be a list, not a number\n"
        "     4 | tags: 3\n"
        "       | ^\n"
        "  hint: write tags: [3]\n"
        "content/posts/b.md:4:1: error: 'draft' must be true or false, not 'maybe'\n"
        "     4 | draft: maybe\n"
        "       | ^\n",
    ),
    "impossible date": (
        {"content/posts/x.md": "---\ntitle: a\ndate: 2025-02-30\n---\n"},
        "content/posts/x.md:3:1: error: date '2025-02-30' is not a date\n"
        "     3 | date: 2025-02-30\n"
        "       | ^\n" + DATE_HINT,
    ),
    "impossible time": (
        {"content/posts/x.md": "---\ntitle: a\ndate: 2025-03-01T25:00:00\n---\n"},
        "content/posts/x.md:3:1: error: date '2025-03-01T25:00:00' is not a date\n"
        "     3 | date: 2025-03-01T25:00:00\n"
        "       | ^\n" + DATE_HINT,
    ),
    "updated is not a date": (
        {"content/posts/x.md": POST + "updated: soon\n---\n"},
        "content/posts/x.md:4:1: error: updated 'soon' is not a date\n"
        "     4 | updated: soon\n"
        "       | ^\n" + DATE_HINT,
    ),
    "date is a list": (
        {"content/posts/x.md": "---\ntitle: a\ndate: [2025-03-01]\n---\n"},
        "content/posts/x.md:3:1: error: 'date' must be a date, not a list\n"
        "     3 | date: [2025-03-01]\n"
        "       | ^\n" + DATE_HINT,
    ),
    "lang that is not a language code": (
        {"content/posts/x.md": POST + "lang: arabic please\n---\n"},
        "content/posts/x.md:4:1: error: lang 'arabic please' is not a language code\n"
        "     4 | lang: arabic please\n"
        "       | ^\n"
        "  hint: such as ar, en or fr-CA\n",
    ),
    "title is a list": (
        {"content/posts/x.md": "---\ntitle: [a, b]\ndate: 2025-03-01\n---\n"},
        "content/posts/x.md:2:1: error: 'title' must be text, not a list\n"
        "     2 | title: [a, b]\n"
        "       | ^\n",
    ),
    "a key that is not text": (
        {"content/posts/x.md": POST + "2025: year\n---\n"},
        "content/posts/x.md:4:1: error: key 2025 must be text\n"
        "     4 | 2025: year\n"
        "       | ^\n"
        "  hint: quote it: \"2025\": ...\n",
    ),
    "a tag that is a mapping": (
        {"content/posts/x.md": POST + "tags: [a, {b: c}]\n---\n"},
        "content/posts/x.md:4:1: error: each of 'tags' must be a single value, not a list or mapping\n"
        "     4 | tags: [a, {b: c}]\n"
        "       | ^\n"
        "  hint: write tags: [one, two]\n",
    ),
    "YAML alias of a list": (
        {"content/posts/x.md": POST + "tags: &t [a, b]\nkeywords: *t\n---\n"},
        "content/posts/x.md:5:11: error: invalid YAML: the alias *t repeats a list or mapping, which sitegen does "
        "not allow\n"
        "     5 | keywords: *t\n"
        "       |           ^\n" + INVALID_YAML_HINT,
    ),
    "YAML list that contains itself": (
        {"content/posts/x.md": POST + "extra: &x [*x]\n---\n"},
        "content/posts/x.md:4:12: error: invalid YAML: the alias *x repeats a list or mapping, which sitegen does "
        "not allow\n"
        "     4 | extra: &x [*x]\n"
        "       |            ^\n" + INVALID_YAML_HINT,
    ),
    "YAML billion laughs": (
        {"content/posts/x.md": POST + "a: &a [x, x, x, x, x, x, x, x, x]\n"
         + "".join(f"b{i}: &b{i} [{', '.join([f'*b{i - 1}' if i else '*a'] * 9)}]\n" for i in range(9)) + "---\n"},
        "content/posts/x.md:5:10: error: invalid YAML: the alias *a repeats a list or mapping, which sitegen does "
        "not allow\n"
        "     5 | b0: &b0 [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "       |          ^\n" + INVALID_YAML_HINT,
    ),
    "YAML nested too deep": (
        {"content/posts/x.md": POST + "extra: " + "[" * 5000 + "]" * 5000 + "\n---\n"},
        "content/posts/x.md:4:39: error: invalid YAML: values nested more than 32 levels deep\n"
        "     4 | extra: " + "[" * 193 + "\n"
        "       |                                       ^\n",
    ),
    "a YAML value that cannot be read": (
        {"content/posts/x.md": POST + "count: !!int many\n---\n"},
        "content/posts/x.md:4:8: error: invalid YAML: cannot read 'many' as int (ValueError: invalid literal for "
        "int() with base 10: 'many')\n"
        "     4 | count: !!int many\n"
        "       |        ^\n",
    ),
    "a YAML tag that runs code": (
        {"content/posts/x.md": POST + "x: !!python/object/apply:os.system [echo hi]\n---\n"},
        "content/posts/x.md:4:4: error: invalid YAML: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'\n"
        "     4 | x: !!python/object/apply:os.system [echo hi]\n"
        "       |    ^\n",
    ),
    # Markdown that would lose text (markdown-it drops what nests deeper than it goes, and sometimes all after it)
    "lists nested 10,000 levels deep": (
        {"content/posts/x.md": POST + "---\nintro\n\n" + "- " * 10_000 + "x\n\nafter\n"},
        "content/posts/x.md:7: error: lists or quotes nest too deeply here; what lies deeper would be lost\n"
        "     7 | " + "- " * 100 + "\n"
        "  hint: nest them less deeply (at most 49 lists or 99 quotes)\n",
    ),
    "quotes nested 10,000 levels deep": (
        {"content/posts/x.md": POST + "---\n" + ">" * 10_000 + " x\n"},
        "content/posts/x.md:5: error: lists or quotes nest too deeply here; what lies deeper would be lost\n"
        "     5 | " + ">" * 200 + "\n"
        "  hint: nest them less deeply (at most 49 lists or 99 quotes)\n",
    ),
    "lists nested 200 levels deep by indentation": (
        {"content/posts/x.md": POST + "---\n" + "".join("  " * i + "- x\n" for i in range(200))},
        "content/posts/x.md:53: error: lists or quotes nest too deeply here; what lies deeper would be lost\n"
        "    53 | " + "  " * 48 + "- x\n"
        "  hint: nest them less deeply (at most 49 lists or 99 quotes)\n",
    ),
    # slugs, aliases, templates named by a post
    "slug with a slash": (
        {"content/posts/x.md": POST + "slug: a/b\n---\n"},
        "content/posts/x.md:4:1: error: slug 'a/b' is not safe in a URL path\n"
        "     4 | slug: a/b\n"
        "       | ^\n"
        "  hint: try slug: a-b\n",
    ),
    "slug climbing out with ..": (
        {"content/posts/x.md": POST + "slug: ../../etc\n---\n"},
        "content/posts/x.md:4:1: error: slug '../../etc' is not safe in a URL path\n"
        "     4 | slug: ../../etc\n"
        "       | ^\n"
        "  hint: try slug: etc\n",
    ),
    "slug with characters unsafe in a path": (
        {"content/posts/x.md": POST + "slug: 'a<b>?c'\n---\n"},
        "content/posts/x.md:4:1: error: slug 'a<b>?c' is not safe in a URL path\n"
        "     4 | slug: 'a<b>?c'\n"
        "       | ^\n"
        "  hint: try slug: a-b-c\n",
    ),
    "slug with a space": (
        {"content/posts/x.md": POST + "slug: a b\n---\n"},
        "content/posts/x.md:4:1: error: slug 'a b' is not safe in a URL path\n"
        "     4 | slug: a b\n"
        "       | ^\n"
        "  hint: try slug: a-b\n",
    ),
    "slug with a bidi override": (
        {"content/posts/x.md": POST + "slug: \"abc\\u202efdp.exe\"\n---\n"},
        "content/posts/x.md:4:1: warning: 'slug' contains U+202E RIGHT-TO-LEFT OVERRIDE; replaced by an isolate\n"
        "     4 | slug: \"abc\\u202efdp.exe\"\n"
        "       | ^\n"
        "  hint: invisible characters can make text read differently from what it is\n"
        "content/posts/x.md:4:1: error: slug 'abc\\u2067fdp.exe\\u2069' is not safe in a URL path\n"
        "     4 | slug: \"abc\\u202efdp.exe\"\n"
        "       | ^\n"
        "  hint: try slug: abc-fdp-exe\n",
    ),
    "slug too long for a folder name": (
        {"content/posts/x.md": POST + "slug: " + "ب" * 120 + "\n---\n"},
        "content/posts/x.md:4:1: error: slug is too long for a folder name (240 bytes in UTF-8, at most 200)\n"
        "     4 | slug: " + "ب" * 120 + "\n"
        "       | ^\n"
        "  hint: try slug: " + "ب" * 60 + "\n",
    ),
    "alias on another site": (
        {"content/posts/x.md": POST + "aliases: [https://evil.example/x]\n---\n"},
        "content/posts/x.md:4:1: error: alias 'https://evil.example/x' must be a path on this site\n"
        "     4 | aliases: [https://evil.example/x]\n"
        "       | ^\n"
        "  hint: e.g. /old/address/\n",
    ),
    "alias climbing out with ..": (
        {"content/posts/x.md": POST + "aliases: [/a/../../b/]\n---\n"},
        "content/posts/x.md:4:1: error: alias '/a/../../b/' must be a path on this site\n"
        "     4 | aliases: [/a/../../b/]\n"
        "       | ^\n"
        "  hint: e.g. /old/address/\n",
    ),
    "template outside the theme": (
        {"content/pages/p.md": "---\ntitle: p\ntemplate: ../../etc/passwd.html\n---\n"},
        "content/pages/p.md:3:1: error: template '../../etc/passwd.html' must name an .html file of the theme\n"
        "     3 | template: ../../etc/passwd.html\n"
        "       | ^\n"
        "  hint: e.g. about.html\n",
    ),
    # files that are not UTF-8 Markdown
    "not UTF-8": (
        {"content/posts/x.md": POST.encode() + b"---\n\xd9\x86\xd8\xb5 \xff\n"},
        "content/posts/x.md:5:4: error: the file is not valid UTF-8 (byte 0xff)\n"
        "     5 | نص \ufffd\n"
        "       |    ^\n"
        "  hint: save the file as UTF-8 in your editor\n",
    ),
    "UTF-16 (Windows 'Unicode')": (
        {"content/posts/x.md": (POST + "---\nنص\n").encode("utf-16")},
        "content/posts/x.md: error: the file is UTF-16 text; sitegen reads UTF-8\n"
        "  hint: save the file as UTF-8 in your editor\n",
    ),
    "binary file named .md": (
        {"content/posts/x.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
        "content/posts/x.md: error: this is a binary file, not Markdown text\n"
        "  hint: move it out of content/, or into a post's own folder to publish it beside the post\n",
    ),
    "a stray NUL in the text": (
        {"content/posts/x.md": POST + "---\nنص\x00 هنا\x00\n"},
        "content/posts/x.md:5:3: error: the file holds a NUL character (U+0000) (and 1 more), so it is not text\n"
        "     5 | نص\ufffd هنا\ufffd\n"
        "       |   ^\n" + NUL_HINT,
    ),
    "a NUL in a reply": (
        {"content/posts/x.md": POST + "---\n",
         "content/replies/x/r.md": "---\nname: n\ndate: 2025-03-02\n---\nr\x00\n"},
        "content/replies/x/r.md:5:2: error: the file holds a NUL character (U+0000), so it is not text\n"
        "     5 | r\ufffd\n"
        "       |  ^\n" + NUL_HINT,
    ),
    "a post's image that is not a URL": (
        {"content/posts/x.md": POST + "image: https://[::1/\n---\n",
         "content/posts/y.md": POST + "image: 'javascript:alert(1)'\n---\n"},
        "content/posts/x.md:4:1: error: image 'https://[::1/' is not a valid URL (Invalid IPv6 URL)\n"
        "     4 | image: https://[::1/\n"
        "       | ^\n"
        "  hint: a file beside the post, such as cover.jpg, or an https:// address\n"
        "content/posts/y.md:4:1: error: image 'javascript:alert(1)' must be an absolute http(s) URL, or a path of the "
        "site\n"
        "     4 | image: 'javascript:alert(1)'\n"
        "       | ^\n"
        "  hint: a file beside the post, such as cover.jpg, or an https:// address\n",
    ),
    "an alias whose host cannot be read": (
        {"content/posts/x.md": POST + "aliases: ['//[::1/']\n---\n"},
        "content/posts/x.md:4:1: error: alias '//[::1/' must be a path on this site\n"
        "     4 | aliases: ['//[::1/']\n"
        "       | ^\n"
        "  hint: e.g. /old/address/\n",
    ),
    # symbolic links and names of files: found with care, never followed round a loop or out of the site
    "a symbolic link loop in content/posts": (
        {"content/posts/x.md": POST + "---\n", "content/posts/loop": Link(".")},
        "content/posts/loop: " + LOOP + "'.')\n" + LOOP_HINT,
    ),
    "two symbolic links pointing at each other": (
        {"content/posts/a.md": Link("b.md"), "content/posts/b.md": Link("a.md")},
        "content/posts/a.md: " + LOOP + "'b.md')\n" + LOOP_HINT +
        "content/posts/b.md: " + LOOP + "'a.md')\n" + LOOP_HINT,
    ),
    "a symbolic link loop in a post's folder": (
        {"content/posts/b/index.md": POST + "---\n", "content/posts/b/images/up": Link("..")},
        "content/posts/b/images/up: " + LOOP + "'..')\n" + LOOP_HINT,
    ),
    "a symbolic link loop through two folders of static/": (
        {"static/a/x": Link("../b"), "static/b/y": Link("../a")},
        "static/b/y: " + LOOP + "'../a')\n" + LOOP_HINT +  # static/a/x/y, named where the link is
        "static/a/x: " + LOOP + "'../b')\n" + LOOP_HINT,
    ),
    "a static file linked from outside the site": (
        {"static/passwd": Link("/etc/passwd")},
        "static/passwd: " + OUTSIDE + "'/etc/passwd'\n" + OUTSIDE_HINT,
    ),
    "a static folder linked from outside the site": (
        {"static/etc": Link("/etc")},
        "static/etc: " + OUTSIDE + "'/etc'\n" + OUTSIDE_HINT,
    ),
    "a file beside a post linked from outside the site": (
        {"content/posts/b/index.md": POST + "---\n", "content/posts/b/passwd": Link("/etc/passwd")},
        "content/posts/b/passwd: " + OUTSIDE + "'/etc/passwd'\n" + OUTSIDE_HINT,
    ),
    "a theme's static file linked from outside the site": (
        {"themes/default/static/passwd": Link("/etc/passwd")},
        "themes/default/static/passwd: " + OUTSIDE + "'/etc/passwd'\n" + OUTSIDE_HINT,
    ),
    "a post whose file name is not UTF-8": (
        {f"content/posts/caf{E_ACUTE}.md": POST + "---\n"},
        "content/posts/caf\\xe9.md: error: the file name is not valid UTF-8 (byte 0xe9)\n"
        + NOT_UTF8_NAME.format("file"),
    ),
    "a page whose folder name is not UTF-8": (
        {f"content/pages/caf{E_ACUTE}/index.md": "---\ntitle: p\n---\n"},
        "content/pages/caf\\xe9: error: the folder name is not valid UTF-8 (byte 0xe9)\n"
        + NOT_UTF8_NAME.format("folder"),
    ),
    "a static file whose name is not UTF-8": (
        {f"static/caf{E_ACUTE}.txt": "x"},
        "static/caf\\xe9.txt: error: the file name is not valid UTF-8 (byte 0xe9)\n" + NOT_UTF8_NAME.format("file"),
    ),
    "a reply whose file name is not UTF-8": (
        {"content/posts/x.md": POST + "---\n",
         f"content/replies/x/caf{E_ACUTE}.md": "---\nname: n\ndate: 2025-03-02\n---\nr\n"},
        "content/replies/x/caf\\xe9.md: error: the file name is not valid UTF-8 (byte 0xe9)\n"
        + NOT_UTF8_NAME.format("file"),
    ),
    "static/_redirects not UTF-8": (
        {"static/_redirects": b"/old /new 301\n/caf\xe9 /new 301\n"},
        "static/_redirects:2:5: error: the file is not valid UTF-8 (byte 0xe9)\n"
        "     2 | /caf\ufffd /new 301\n"
        "       |     ^\n"
        "  hint: save the file as UTF-8 in your editor\n",
    ),
    # the site as a whole
    "two posts claiming one URL": (
        {"content/posts/a.md": POST + "slug: same\n---\n", "content/posts/b.md": POST + "slug: same\n---\n"},
        "content/posts/b.md: error: the URL /posts/same/ is already taken by the URL of content/posts/a.md\n"
        "  hint: change the slug (or alias) of one of the two\n",
    ),
    "an alias claiming a post's URL": (
        {"content/posts/a.md": POST + "---\n", "content/posts/b.md": POST + "aliases: [/posts/a/]\n---\n"},
        "content/posts/b.md: error: the alias /posts/a/ is already taken by the URL of content/posts/a.md\n"
        "  hint: change the slug (or alias) of one of the two\n",
    ),
    "a post claiming a page's URL": (
        {"content/pages/about.md": "---\ntitle: p\n---\n", "content/posts/x.md": POST + "aliases: [/about/]\n---\n"},
        "content/posts/x.md: error: the alias /about/ is already taken by the URL of content/pages/about.md\n"
        "  hint: change the slug (or alias) of one of the two\n",
    ),
    # every address claimed once: sitegen's own pages and files, posts, pages, aliases, files beside posts, static files
    "a page named like sitegen's archive": (
        {"content/pages/archive.md": "---\ntitle: p\n---\n"},
        "content/pages/archive.md: error: the URL /archive/ is already taken by sitegen's archive page\n"
        "  hint: sitegen makes that address itself; set another slug: in the front matter\n",
    ),
    "pages named like the tag index and the follow page": (
        {"content/pages/tags.md": "---\ntitle: p\n---\n", "content/pages/follow.md": "---\ntitle: p\n---\n"},
        "content/pages/follow.md: error: the URL /follow/ is already taken by sitegen's follow page\n"
        "  hint: sitegen makes that address itself; set another slug: in the front matter\n"
        "content/pages/tags.md: error: the URL /tags/ is already taken by sitegen's tag index\n"
        "  hint: sitegen makes that address itself; set another slug: in the front matter\n",
    ),
    "a post named like a page of sitegen's, by the permalink": (
        {"sitegen.yaml": CONFIG + "permalink: /{slug}/\n", "content/posts/x.md": POST + "slug: thanks\n---\n"},
        "content/posts/x.md: error: the URL /thanks/ is already taken by sitegen's thank-you page\n"
        "  hint: sitegen makes that address itself; set another slug: in the front matter\n",
    ),
    "an alias onto sitegen's feed": (
        {"content/posts/x.md": POST + "aliases: [/feed.xml]\n---\n"},
        "content/posts/x.md: error: the alias /feed.xml is already taken by sitegen's feed\n"
        "  hint: sitegen makes that address itself; remove the alias\n",
    ),
    "static files over generated ones": (
        {"static/feed.xml": "<rss/>", "static/sitemap.xml": "<urlset/>"},
        "static/feed.xml: error: this file would overwrite the generated /feed.xml\n"
        "  hint: rename or remove the static file\n"
        "static/sitemap.xml: error: this file would overwrite the generated /sitemap.xml\n"
        "  hint: rename or remove the static file\n",
    ),
    "a static file in sitegen's fingerprint folder": (
        {"static/_immutable/app.js": "x"},
        "static/_immutable/app.js: error: /_immutable/ is sitegen's folder of fingerprinted stylesheets and scripts; "
        "nothing else may be written there\n"
        "  hint: move it to another folder\n",
    ),
    "a static file hiding an alias": (
        {"content/posts/x.md": POST + "aliases: [/old/]\n---\n", "static/old/index.html": "<p>old</p>"},
        "static/old/index.html: error: this file would hide the redirect from /old/, an alias of content/posts/x.md\n"
        "  hint: rename or remove the file, or the alias\n",
    ),
    "a static file over a file beside a post": (
        {"content/posts/b/index.md": POST + "---\n", "content/posts/b/x.png": PNG, "static/posts/b/x.png": PNG},
        "static/posts/b/x.png: error: this file would overwrite the file content/posts/b/x.png\n"
        "  hint: rename or remove one of the two\n",
    ),
    "two URLs that differ only in case": (
        {"content/pages/about.md": "---\ntitle: p\n---\n",
         "content/pages/About2.md": "---\ntitle: p\nslug: About\n---\n"},
        "content/pages/about.md: error: the URL /about/ is already taken by the URL of content/pages/About2.md\n"
        "  hint: change the slug (or alias) of one of the two\n",
    ),
    "a page whose folder is a file of sitegen's": (
        {"content/pages/robots.md": "---\ntitle: p\nslug: robots.txt\n---\n"},
        "content/pages/robots.md: error: the URL /robots.txt/ needs a folder /robots.txt/, where sitegen's robots.txt "
        "is a file\n"
        "  hint: a path cannot be a file and a folder at once: rename one of the two\n",
    ),
    "missing template": (
        {"content/pages/p.md": "---\ntitle: p\ntemplate: nowhere.html\n---\n"},
        "content/pages/p.md: error: template 'nowhere.html' not found\n"
        "  hint: add it to the site's templates/ folder or to the theme\n",
    ),
    "template syntax error, at the template's line": (
        {"templates/page.html": "{% extends 'base.html' %}\n{% block main %}\n{{ post.title }\n{% endblock %}\n",
         "content/pages/p.md": "---\ntitle: p\n---\n"},
        "templates/page.html:3: error: template syntax error: unexpected '}'\n"
        "     3 | {{ post.title }\n",
    ),
    "undefined variable in a template": (
        {"templates/page.html": "{% extends 'base.html' %}\n{% block main %}\n{{ post.subtitle }}\n{% endblock %}\n",
         "content/pages/p.md": "---\ntitle: p\n---\n"},
        "templates/page.html:3: error: template error: 'sitegen.site.model.Post object' has no attribute 'subtitle' "
        "(a variable or attribute that does not exist here)\n"
        "     3 | {{ post.subtitle }}\n",
    ),
    # the theme's words (i18n/<lang>.yaml): each a text, or a text per plural form; fields are names alone in braces
    "the theme's words: invalid YAML": (
        {"themes/default/i18n/ar.yaml": "home: [\n"},
        "themes/default/i18n/ar.yaml:2:1: error: invalid YAML: expected the node content, but found '<stream end>'\n",
    ),
    "the theme's words: not UTF-8": (
        {"themes/default/i18n/ar.yaml": b"home: caf\xe9\n"},
        "themes/default/i18n/ar.yaml:1:10: error: the file is not valid UTF-8 (byte 0xe9)\n"
        "     1 | home: caf\ufffd\n"
        "       |          ^\n"
        "  hint: save the file as UTF-8 in your editor\n",
    ),
    "the theme's words: a list, a mapping and an empty word": (
        {"themes/default/i18n/ar.yaml": "home: [a, b]\nread_more: {x: y}\ntags:\n"
                                        "reading_time:\n  one: [a]\n  other: x\n"},
        "themes/default/i18n/ar.yaml:1: error: 'home' must be text, not a list\n"
        "     1 | home: [a, b]\n" + WORD_HINT +
        "themes/default/i18n/ar.yaml:2: error: 'read_more' has an unknown plural form 'x'\n"
        "     2 | read_more: {x: y}\n"
        "  hint: the plural forms are zero, one, two, few, many, other\n"
        "themes/default/i18n/ar.yaml:2: error: 'read_more' has no 'other' form\n"
        "     2 | read_more: {x: y}\n"
        "  hint: 'other' is the form for every count the others leave\n"
        "themes/default/i18n/ar.yaml:3: error: 'tags' must be text, not empty\n"
        "     3 | tags:\n" + WORD_HINT +
        "themes/default/i18n/ar.yaml:5: error: 'reading_time.one' must be text, not a list\n"
        "     5 |   one: [a]\n" + WORD_HINT,
    ),
    "the theme's words: a field with a format spec": (
        {"themes/default/i18n/ar.yaml": "page_of: \"{n:>99999999999} / {total.__class__}\"\n"},
        "themes/default/i18n/ar.yaml:1: error: 'page_of': {n:>99999999999} is not a field\n"
        "     1 | page_of: \"{n:>99999999999} / {total.__class__}\"\n" + FIELD_HINT,
    ),
    "the theme's words: a field the template does not give": (
        {"themes/default/i18n/ar.yaml": "greeting: \"أهلا {name}\"\n",
         "templates/page.html": "{% extends 'base.html' %}\n{% block main %}\n{{ t('greeting') }}\n{% endblock %}\n",
         "content/pages/p.md": "---\ntitle: p\n---\n"},
        "templates/page.html:3: error: template error: TemplateRuntimeError: the theme's word 'greeting' has a field "
        "{name} that this template does not give\n"
        "     3 | {{ t('greeting') }}\n",
    ),
    "missing theme": (
        {"sitegen.yaml": CONFIG + "theme: fancy\n"},
        "sitegen.yaml: error: theme 'fancy' not found (looked in {root}/themes/fancy and {packaged}/fancy)\n"
        "  hint: fix 'theme:' in sitegen.yaml or add the theme folder\n",
    ),
    "broken links with --strict": (
        {"content/posts/x.md": POST + "---\nsee [the other post](/posts/nope/)\n\n![a photo](photo.jpg)\n"},
        "content/posts/x.md:5:5: warning: link to /posts/nope/ leads to no page or file of this site\n"
        "     5 | see [the other post](/posts/nope/)\n"
        "       |     ^\n"
        "  hint: fix the address, or remove the link\n"
        "content/posts/x.md:7:1: warning: image to photo.jpg leads to no page or file of this site\n"
        "     7 | ![a photo](photo.jpg)\n"
        "       | ^\n"
        "  hint: fix the address, or remove the link\n",
    ),
    # the configuration
    "configuration: unknown key and wrong type": (
        {"sitegen.yaml": CONFIG + "titel: x\nposts_per_page: ten\n"},
        "sitegen.yaml:4:1: error: unknown key 'titel'\n"
        "     4 | titel: x\n"
        "       | ^\n"
        "  hint: did you mean 'title'?\n"
        "sitegen.yaml:5:1: error: 'posts_per_page' must be a whole number, not text ('ten')\n"
        "     5 | posts_per_page: ten\n"
        "       | ^\n",
    ),
    "configuration: unknown nested key": (
        {"sitegen.yaml": CONFIG + "author:\n  nmae: me\n"},
        "sitegen.yaml:5: error: unknown key 'author.nmae'\n"
        "     5 |   nmae: me\n"
        "  hint: did you mean 'author.name'?\n",
    ),
    "configuration: empty and wrongly typed values": (
        {"sitegen.yaml": CONFIG + "description:\nfeed_limit: true\nauthor: me\n"},
        "sitegen.yaml:4:1: error: 'description' must be text, not empty\n"
        "     4 | description:\n"
        "       | ^\n"
        "sitegen.yaml:5:1: error: 'feed_limit' must be a whole number, not true/false\n"
        "     5 | feed_limit: true\n"
        "       | ^\n"
        "sitegen.yaml:6:1: error: 'author' must be a mapping, not text ('me')\n"
        "     6 | author: me\n"
        "       | ^\n",
    ),
    "configuration: values that cannot work": (
        {"sitegen.yaml": "title: t\nbase_url: example.org\ntimezone: Mars/Olympus\nlanguage: xx\n"
                         "posts_per_page: 0\npermalink: /{title}/\n"},
        "sitegen.yaml:2: error: base_url 'example.org' must be an absolute URL ending in '/'\n"
        "     2 | base_url: example.org\n"
        "  hint: e.g. base_url: https://example.com/\n"
        "sitegen.yaml:3: error: unknown time zone 'Mars/Olympus'\n"
        "     3 | timezone: Mars/Olympus\n"
        "  hint: use an IANA name such as Asia/Riyadh or Europe/London\n"
        "sitegen.yaml:4: error: unknown language 'xx'\n"
        "     4 | language: xx\n"
        "  hint: use a language code such as ar, en or fr\n"
        "sitegen.yaml:5: error: posts_per_page must be at least 1\n"
        "     5 | posts_per_page: 0\n"
        "sitegen.yaml:6: error: permalink '/{title}/': it must contain {slug}; unknown field {title}\n"
        "     6 | permalink: /{title}/\n"
        "  hint: fields: {day} {lang} {month} {slug} {year}\n",
    ),
    "configuration: not a mapping": (
        {"sitegen.yaml": "- title: t\n"},
        "sitegen.yaml:1:1: error: the configuration must be a mapping of keys to values, not a list\n"
        "     1 | - title: t\n"
        "       | ^\n"
        "  hint: write one 'key: value' per line\n",
    ),
    "configuration: not UTF-8": (
        {"sitegen.yaml": b"title: caf\xe9\n"},
        "sitegen.yaml:1:11: error: the file is not valid UTF-8 (byte 0xe9)\n"
        "     1 | title: caf\ufffd\n"
        "       |           ^\n"
        "  hint: save the file as UTF-8 in your editor\n",
    ),
    "configuration: a NUL character": (
        {"sitegen.yaml": CONFIG + "description: a\x00b\n"},
        "sitegen.yaml:4:15: error: the file holds a NUL character (U+0000), so it is not text\n"
        "     4 | description: a\ufffdb\n"
        "       |               ^\n" + NUL_HINT,
    ),
    "configuration: URLs that cannot be read": (
        {"sitegen.yaml": "title: t\nbase_url: https://[::1/\nnewsletter_url: https://example.org:99999/\n"
                         "webmention: http:///x\n"},
        "sitegen.yaml:2: error: base_url 'https://[::1/' is not a valid URL (Invalid IPv6 URL)\n"
        "     2 | base_url: https://[::1/\n"
        "  hint: e.g. base_url: https://example.com/\n"
        "sitegen.yaml:3: error: newsletter_url 'https://example.org:99999/' is not a valid URL (Port out of range "
        "0-65535)\n"
        "     3 | newsletter_url: https://example.org:99999/\n"
        "sitegen.yaml:4: error: webmention 'http:///x' is not a valid URL (it has no host)\n"
        "     4 | webmention: http:///x\n",
    ),
    "configuration: the author's links and photo": (
        {"sitegen.yaml": CONFIG + "author:\n  image: javascript:alert(1)\n  links:\n    a: 'javascript:alert(1)'\n"
                                  "    b: 'data:text/html,<script>alert(1)</script>'\n    c: 'vbscript:msgbox'\n"
                                  "    d: /about/\n    e: https://[::1/\n    ok: mailto:me@example.org\n"},
        "sitegen.yaml:5: error: author.image 'javascript:alert(1)' must be an absolute http(s) URL, or a path of the "
        "site\n"
        "     5 |   image: javascript:alert(1)\n"
        "  hint: a path of the site, such as /images/me.jpg, or an https:// address\n"
        + "".join(f"sitegen.yaml:{line}: error: author.links.{label} {url!r} must be an absolute http(s) URL, or a "
                  f"mailto: address\n"
                  f"  {line:>4} |     {label}: {written}\n"
                  "  hint: e.g. https://example.org/me or mailto:me@example.org\n"
                  for line, label, url, written in [
                      (7, "a", "javascript:alert(1)", "'javascript:alert(1)'"),
                      (8, "b", "data:text/html,<script>alert(1)</script>",
                       "'data:text/html,<script>alert(1)</script>'"),
                      (9, "c", "vbscript:msgbox", "'vbscript:msgbox'"),
                      (10, "d", "/about/", "/about/")]) +
        "sitegen.yaml:11: error: author.links.e 'https://[::1/' is not a valid URL (Invalid IPv6 URL)\n"
        "    11 |     e: https://[::1/\n"
        "  hint: e.g. https://example.org/me or mailto:me@example.org\n",
    ),
    "configuration: a permalink field with a format spec": (
        {"sitegen.yaml": CONFIG + "permalink: /{slug:>99999999999}/\n", "content/posts/x.md": POST + "---\n"},
        "sitegen.yaml:4: error: permalink '/{slug:>99999999999}/': {slug:>99999999999} is not a field (a field is a "
        "name alone in braces)\n"
        "     4 | permalink: /{slug:>99999999999}/\n" + PERMALINK_HINT,
    ),
    "configuration: a permalink field with a conversion": (
        {"sitegen.yaml": CONFIG + "permalink: /{slug!r}/\n"},
        "sitegen.yaml:4: error: permalink '/{slug!r}/': {slug!r} is not a field (a field is a name alone in braces)\n"
        "     4 | permalink: /{slug!r}/\n" + PERMALINK_HINT,
    ),
    "configuration: a permalink field with an attribute": (
        {"sitegen.yaml": CONFIG + "permalink: /{year}/{slug.upper}/\n"},
        "sitegen.yaml:4: error: permalink '/{year}/{slug.upper}/': {slug.upper} is not a field (a field is a name "
        "alone in braces)\n"
        "     4 | permalink: /{year}/{slug.upper}/\n" + PERMALINK_HINT,
    ),
    "configuration: a permalink field with an index": (
        {"sitegen.yaml": CONFIG + "permalink: /{slug[0]}/\n"},
        "sitegen.yaml:4: error: permalink '/{slug[0]}/': {slug[0]} is not a field (a field is a name alone in braces)\n"
        "     4 | permalink: /{slug[0]}/\n" + PERMALINK_HINT,
    ),
    "configuration: a permalink with a lone brace": (
        {"sitegen.yaml": CONFIG + "permalink: /{slug}}/\n"},
        "sitegen.yaml:4: error: permalink '/{slug}}/': a lone '}' is not a field (a field is a name alone in braces)\n"
        "     4 | permalink: /{slug}}/\n" + PERMALINK_HINT,
    ),
    "configuration: duplicate key": (
        {"sitegen.yaml": CONFIG + "title: again\n"},
        "sitegen.yaml:4:1: error: duplicate key 'title' (first set on line 1)\n"
        "     4 | title: again\n"
        "       | ^\n"
        "  hint: keep one of the two\n",
    ),
    "configuration: alias of a mapping": (
        {"sitegen.yaml": CONFIG + "author: &a {name: x}\nextra: *a\n"},
        "sitegen.yaml:5:8: error: invalid YAML: the alias *a repeats a list or mapping, which sitegen does not "
        "allow\n"
        "     5 | extra: *a\n"
        "       |        ^\n" + INVALID_YAML_HINT,
    ),
    "configuration: unclosed list": (
        {"sitegen.yaml": CONFIG + "description: [unclosed\n"},
        "sitegen.yaml:5:1: error: invalid YAML: expected ',' or ']', but got '<stream end>'\n",
    ),
    "no configuration": (
        {"sitegen.yaml": None},
        "sitegen.yaml: error: no configuration file found\n"
        "  hint: run sitegen in the site's root folder, or pass --source (it looks for sitegen.yaml or sitegen.yml); "
        "to start a new blog here: sitegen init\n",
    ),
}
"""A failing build's exact stderr (before the summary line) for each bad input."""

INVISIBLE_HINT = "  hint: invisible characters can make text read differently from what it is\n"

WARNINGS: dict[str, tuple[Files, str]] = {
    "title is a number": (
        {"content/posts/x.md": "---\ntitle: 2025\ndate: 2025-03-01\n---\nbody\n"},
        "content/posts/x.md:2:1: warning: 'title' is a number (2025); using it as text\n"
        "     2 | title: 2025\n"
        "       | ^\n"
        "  hint: quote it to say it is text: title: \"2025\"\n",
    ),
    "empty file": (
        {"content/posts/x.md": ""},
        "content/posts/x.md: warning: the file is empty; it is left out of the site\n"
        "  hint: write the post, or delete the file\n",
    ),
    "file of blank lines": (
        {"content/posts/x.md": " \n\n"},
        "content/posts/x.md: warning: the file is empty; it is left out of the site\n"
        "  hint: write the post, or delete the file\n",
    ),
    "no date": (
        {"content/posts/x.md": "---\ntitle: t\n---\n"},
        "content/posts/x.md:1: warning: no date in the front matter; using the file's modification time\n"
        "     1 | ---\n"
        "  hint: add a line: date: 2025-01-01\n",
    ),
    "control characters in the text": (
        {"content/posts/x.md": POST + "---\nbell\x07 and escape\x1b[31m red\n"},
        "content/posts/x.md:5:5: warning: control character U+0007 (and 1 more) removed\n"
        "     5 | bell\ufffd and escape\ufffd[31m red\n"
        "       |     ^\n" + INVISIBLE_HINT,
    ),
    "bidi override in the text": (
        {"content/posts/x.md": POST + "---\nنص \u202eمعكوس\u202c هنا\n"},
        "content/posts/x.md:5:4: warning: U+202E RIGHT-TO-LEFT OVERRIDE (and 1 more) replaced by an isolate\n"
        "     5 | نص \ufffdمعكوس\ufffd هنا\n"
        "       |    ^\n" + INVISIBLE_HINT,
    ),
    "invisible characters in a reply, as in a post": (
        {"content/posts/x.md": POST + "---\nنص\n",
         "content/replies/x/r.md": "---\nname: ليلى\ndate: 2025-03-02\n---\nرد \u202eمعكوس\u202c هنا\x07\n"},
        "content/replies/x/r.md:5:15: warning: control character U+0007 removed\n"
        "     5 | رد \ufffdمعكوس\ufffd هنا\ufffd\n"
        "       |               ^\n" + INVISIBLE_HINT +
        "content/replies/x/r.md:5:4: warning: U+202E RIGHT-TO-LEFT OVERRIDE (and 1 more) replaced by an isolate\n"
        "     5 | رد \ufffdمعكوس\ufffd هنا\ufffd\n"
        "       |    ^\n" + INVISIBLE_HINT,
    ),
    "control character in the title": (
        {"content/posts/x.md": "---\ntitle: \"a\\x01b\"\ndate: 2025-03-01\n---\n"},
        "content/posts/x.md:2:1: warning: 'title' contains control character U+0001; removed\n"
        "     2 | title: \"a\\x01b\"\n"
        "       | ^\n" + INVISIBLE_HINT,
    ),
    "bidi override in the title": (
        {"content/posts/x.md": "---\ntitle: \"exe.\\u202etxt\"\ndate: 2025-03-01\n---\n"},
        "content/posts/x.md:2:1: warning: 'title' contains U+202E RIGHT-TO-LEFT OVERRIDE; replaced by an isolate\n"
        "     2 | title: \"exe.\\u202etxt\"\n"
        "       | ^\n" + INVISIBLE_HINT,
    ),
    "invisible characters in static/_redirects": (
        {"static/_redirects": "/old /new 301\u202e\n/a\x07 /b 301\n"},
        "static/_redirects:2:3: warning: control character U+0007 removed\n"
        "     2 | /a\ufffd /b 301\n"
        "       |   ^\n" + INVISIBLE_HINT +
        "static/_redirects:1:14: warning: U+202E RIGHT-TO-LEFT OVERRIDE replaced by an isolate\n"
        "     1 | /old /new 301\ufffd\n"
        "       |              ^\n" + INVISIBLE_HINT,
    ),
    "symbolic links that stay inside the site": (
        {"shared/a.txt": "a", "shared/b/c.txt": "c", "static/linked.txt": Link("../shared/a.txt"),
         "static/linked": Link("../shared/b"), "content/posts/linking/index.md": POST + "---\n",
         "content/posts/linking/shared": Link("../../../shared/b")},
        "",
    ),
    "a lone surrogate escape in YAML": (
        {"content/posts/x.md": "---\ntitle: \"a\\ud800b \\ud83d\\ude00\"\ndate: 2025-03-01\n---\n"},
        "content/posts/x.md:2:1: warning: 'title' contains lone surrogate U+D800; replaced by U+FFFD\n"
        "     2 | title: \"a\\ud800b \\ud83d\\ude00\"\n"
        "       | ^\n" + INVISIBLE_HINT,
    ),
    "broken links": (
        CASES["broken links with --strict"][0],
        CASES["broken links with --strict"][1],
    ),
    "byte-order mark": ({"content/posts/x.md": "\ufeff" + POST + "---\nنص\n"}, ""),
    "Windows line endings": ({"content/posts/x.md": (POST + "---\nنص\n").replace("\n", "\r\n")}, ""),
    "old Mac line endings": ({"content/posts/x.md": (POST + "---\nنص\n").replace("\n", "\r")}, ""),
}
"""A successful build's exact stderr for odd input it can use."""
