#!/usr/bin/python3
"""Renders the user guide (README.md and docs/*.md) to static HTML for the browser build: build/web/guide/.

scripts/web.sh runs it, so the page's "guide" link opens the same text a reader of the repository sees. Links
between the Markdown files become links between the pages; images are copied beside them; links that leave the
guide (source files) point at nothing the static folder has, so they are shown as plain text.
Uses Debian's python3-markdown (scripts/install-web-deps.sh installs it).
    usage: render-guide.py REPO_ROOT OUT_DIR
"""
import html
import os
import re
import shutil
import sys

import markdown

root, out = sys.argv[1], sys.argv[2]
docs = os.path.join(root, "docs")
pages = {"README.md": os.path.join(root, "README.md")}  # page name in docs/ terms -> source
for name in sorted(os.listdir(docs)):
    if name.endswith(".md"):
        pages["docs/" + name] = os.path.join(docs, name)


def html_name(page):
    return "index.html" if page == "README.md" else page[len("docs/"):-3].replace("README", "contents") + ".html"


STYLE = """body{max-width:60rem;margin:2rem auto;padding:0 1rem;font:16px/1.5 sans-serif;color:#222}
pre,code{background:#f3f3f3}pre{padding:.6rem;overflow-x:auto}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.2rem .5rem}img{max-width:100%}nav{margin-bottom:1rem}"""

os.makedirs(out, exist_ok=True)
for page, source in pages.items():
    folder = os.path.dirname(page)
    text = open(source, encoding="utf-8").read()

    def relink(match):
        label, target = match.group(1), match.group(2)
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            return match.group(0)
        path, _, anchor = target.partition("#")
        resolved = os.path.normpath(os.path.join(folder, path)) if path else page
        if resolved in pages:
            return "[%s](%s%s)" % (label, html_name(resolved), "#" + anchor if anchor else "")
        if os.path.isfile(os.path.join(root, resolved)) and re.search(r"\.(png|svg|gif|jpg)$", resolved):
            dest = os.path.join(out, "files", resolved.replace("/", "_"))
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copyfile(os.path.join(root, resolved), dest)
            return "[%s](files/%s)" % (label, resolved.replace("/", "_"))
        return label  # a source file or folder: not part of the static guide

    text = re.sub(r"\[([^\]]*)\]\(([^)\s]+)\)", relink, text)
    body = markdown.markdown(text, extensions=["tables", "fenced_code", "toc"])
    title = re.search(r"^# (.+)$", text, re.M)
    title = html.escape(title.group(1)) if title else "U-Hop Studio"
    doc = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%s</title><style>%s</style></head>'
           '<body><nav><a href="index.html">U-Hop Studio guide</a> &middot; <a href="../index.html">the app</a>'
           '</nav>%s</body></html>\n' % (title, STYLE, body))
    tmp = os.path.join(out, html_name(page) + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(doc)
    os.replace(tmp, os.path.join(out, html_name(page)))
print("render-guide: %d pages in %s" % (len(pages), out))
