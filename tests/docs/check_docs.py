#!/usr/bin/env python3
"""Docs that cannot go stale (docs/README.md "How the docs are tested").

  check_docs.py links REPO             every relative link and image in README.md, docs/*.md and python/README.md
                                       resolves (a file that exists; an anchor that names a heading of that file)
  check_docs.py commands REPO UHOP     every `uhop ...` command in a ```sh block runs as shown and exits 0
  check_docs.py synopses REPO UHOP     every flag in a ```text synopsis of a subcommand is one `uhop SUB --help` knows

A ```sh block is a runnable example: its `uhop` lines run in order, in one temporary folder per page, with the
binary under test first on PATH (other lines, e.g. `bash scripts/...`, are not run here). Where a shown command is
too long for a test, an HTML comment on the line before the block says how the test shortens it, visibly in the
source next to the command:
  <!-- docs-test: set --seeds 1 ; set --values 10,20 -->   give the flag this value (replacing it, or adding it)
  <!-- docs-test: replace --count 10 -->                    the same only where the command has the flag
A ```text block is a synopsis (usage grammar), not a command: its flags are checked against `--help` instead.
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^```(\w*)\s*$")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
DIRECTIVE = re.compile(r"<!--\s*docs-test:(.*?)-->")


def pages(repo):
    out = [os.path.join(repo, "README.md")]
    docs = os.path.join(repo, "docs")
    out += sorted(os.path.join(docs, f) for f in os.listdir(docs) if f.endswith(".md"))
    py = os.path.join(repo, "python", "README.md")
    if os.path.exists(py):
        out.append(py)
    return out


def blocks(text):
    """Yields (tag, lines, directive, first_line_number) for each fenced block."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        tag, start = m.group(1), i
        directive = ""
        j = start - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        if j >= 0:
            d = DIRECTIVE.search(lines[j])
            if d:
                directive = d.group(1)
        i += 1
        body = []
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        yield tag, body, directive, start + 1
        i += 1


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    s = heading.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s, flags=re.UNICODE)
    return s.replace(" ", "-")


def headings(text):
    inside = False
    out = set()
    for line in text.split("\n"):
        if FENCE.match(line) or line.startswith("```"):
            inside = not inside
            continue
        if not inside and line.startswith("#"):
            out.add(slug(line.lstrip("#")))
    return out


def strip_code(text):
    """The text without fenced blocks and inline code (links inside code are not links)."""
    out, inside = [], False
    for line in text.split("\n"):
        if line.startswith("```"):
            inside = not inside
            continue
        if not inside:
            out.append(re.sub(r"`[^`]*`", "", line))
    return "\n".join(out)


def check_links(repo):
    bad = []
    count = 0
    for page in pages(repo):
        text = open(page, encoding="utf-8").read()
        for target in LINK.findall(strip_code(text)):
            if re.match(r"^[a-z]+:", target):  # http:, https:, mailto:
                continue
            count += 1
            path, _, anchor = target.partition("#")
            dest = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
            rel = os.path.relpath(page, repo)
            if not os.path.exists(dest):
                bad.append(f"{rel}: link to {target}: {os.path.relpath(dest, repo)} does not exist")
            elif anchor and dest.endswith(".md") and anchor not in headings(open(dest, encoding="utf-8").read()):
                bad.append(f"{rel}: link to {target}: no heading with anchor #{anchor}")
            elif os.path.isfile(dest) and os.path.getsize(dest) == 0:
                bad.append(f"{rel}: link to {target}: the file is empty")
    return count, bad


def commands_of(body):
    """The `uhop` commands of a ```sh block, continuation lines joined, comments dropped."""
    cmds, cur = [], ""
    for line in body:
        line = re.sub(r"(^|\s)#.*$", "", line).rstrip()
        if cur:
            cur += " " + line.strip()
        elif line.strip().startswith("uhop "):
            cur = line.strip()
        else:
            continue
        if cur.endswith("\\"):
            cur = cur[:-1].rstrip()
        else:
            cmds.append(cur)
            cur = ""
    return cmds


def apply_directive(cmd, directive):
    words = shlex.split(cmd)
    for part in filter(None, (p.strip() for p in directive.split(";"))):
        op = shlex.split(part)
        if len(op) != 3 or op[0] not in ("set", "replace"):
            raise ValueError(f"docs-test directive not understood: {part!r} (expected: set|replace --flag value)")
        verb, flag, value = op
        if flag in words:
            words[words.index(flag) + 1] = value
        elif verb == "set":
            words += [flag, value]
    return words


def check_commands(repo, uhop):
    bindir = tempfile.mkdtemp(prefix="docs-bin-")
    os.symlink(os.path.abspath(uhop), os.path.join(bindir, "uhop"))
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    bad, count = [], 0
    for page in pages(repo):
        rel = os.path.relpath(page, repo)
        work = tempfile.mkdtemp(prefix="docs-run-")
        for tag, body, directive, line in blocks(open(page, encoding="utf-8").read()):
            if tag not in ("sh", "bash", "console"):
                continue
            for cmd in commands_of(body):
                count += 1
                words = apply_directive(cmd, directive)
                shown = " ".join(shlex.quote(w) for w in words)
                try:
                    r = subprocess.run(words, cwd=work, env=env, capture_output=True, text=True, timeout=600)
                except subprocess.TimeoutExpired:
                    bad.append(f"{rel}:{line}: timed out: {shown}")
                    continue
                status = "ok" if r.returncode == 0 else f"exit {r.returncode}"
                print(f"{rel}:{line}: {status}: {shown}", flush=True)
                if r.returncode != 0:
                    bad.append(f"{rel}:{line}: exit {r.returncode}: {shown}\n    {r.stderr.strip()[:400]}")
    return count, bad


def check_synopses(repo, uhop):
    bad, count = [], 0
    helps = {}
    for page in pages(repo):
        rel = os.path.relpath(page, repo)
        for tag, body, _, line in blocks(open(page, encoding="utf-8").read()):
            if tag != "text":
                continue
            sub = None
            for text in body:
                m = re.match(r"^uhop ([a-z0-9-]+)", text.strip())
                if m:
                    sub = m.group(1)
                if sub is None or text.strip().startswith("#"):
                    continue
                if sub not in helps:
                    r = subprocess.run([uhop, sub, "--help"], capture_output=True, text=True, timeout=60)
                    helps[sub] = r.stdout + r.stderr
                for flag in re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", re.sub(r"#.*$", "", text)):
                    count += 1
                    if flag not in helps[sub]:
                        bad.append(f"{rel}:{line}: `uhop {sub} --help` does not know {flag}")
    return count, bad


def main(argv):
    if len(argv) < 3 or argv[1] not in ("links", "commands", "synopses"):
        print(__doc__, file=sys.stderr)
        return 2
    repo = argv[2]
    if argv[1] == "links":
        count, bad = check_links(repo)
    elif argv[1] == "commands":
        count, bad = check_commands(repo, argv[3])
    else:
        count, bad = check_synopses(repo, argv[3])
    for b in bad:
        print(b)
    print(f"{argv[1]}: {count} checked, {len(bad)} failed")
    if count == 0:
        print(f"{argv[1]}: nothing was checked: the test cannot fail, which is a defect")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
