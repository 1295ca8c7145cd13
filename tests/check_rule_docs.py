#!/usr/bin/env python3
"""The SARIF rule metadata of krefcheck is docs/rules/*.md, and a bad page fails the build.

usage: check_rule_docs.py KREFCHECK SOURCE_DIR PYTHON3

1. Runs krefcheck --format sarif on a testdata case and compares tool.driver.rules, rule by
   rule, with the docs read here on their own (not through the generator): the rule ids are
   the pages' file names (ordered); name, level, precision, tags and shortDescription are the
   front matter; help.markdown is the page after its title with relative links resolved
   against --doc-base-uri; help.text and fullDescription (the text before the first heading)
   hold the same words as the markdown once its markup is taken away.
2. docs/checks.md indexes every page, with its short description, and no other rule.
3. scripts/gen_rule_docs.py (the build step) rejects malformed pages with a one-line error
   naming the page and exit 1, and accepts the real ones.
"""
import glob
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile

FAILURES = []
BASE = "https://docs.example.org/krefcheck/"


def fail(what, msg):
    FAILURES.append(f"{what}: {msg}")


def read_page(path):
    """(front matter dict, body after the title) read with no help from the generator."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.match(r"---\n(.*?)\n---\n# (\S+)\n(.*)\Z", text, flags=re.S)
    if not m:
        fail(path, "no front matter and title")
        return None, None
    meta = dict(line.split(": ", 1) for line in m.group(1).split("\n"))
    meta["title"] = m.group(2)
    return meta, m.group(3).strip("\n") + "\n"


def resolve(markdown):
    def fix(m):
        target = m.group(2)
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            return m.group(0)
        return f"{m.group(1)}({BASE}{posixpath.normpath(posixpath.join('docs/rules', target))})"

    return re.sub(r"(\[[^\]]*\])\(([^)]+)\)", fix, markdown)


def words(markdown):
    """The words of a markdown text without its markup (fences, #, **, `, link brackets)."""
    t = re.sub(r"^```\w*$", " ", markdown, flags=re.M)
    t = re.sub(r"^#+ ", " ", t, flags=re.M)
    t = re.sub(r"\[([^\]]*)\]\(([^)]*)\)", r"\1 (\2)", t)
    t = t.replace("**", "").replace("`", "")
    return t.split()


def plain_words(text):
    return text.replace("**", "").split()


def emphasis_free(ws):
    return [w.strip("*") if w.startswith("*") or w.endswith("*") else w for w in ws]


def check_sarif(krefcheck, src, pages):
    case = sorted(glob.glob(os.path.join(src, "testdata", "cases", "*.c")))[0]
    flags = ["-nostdinc", "-I", os.path.join(src, "testdata", "include"), "-std=gnu11",
             "-D__KERNEL__"]
    p = subprocess.run([krefcheck, case, "--format", "sarif", "--quiet", "--srcroot", src,
                        "--doc-base-uri", BASE, "--"] + flags,
                       cwd=src, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        fail("krefcheck", f"exit {p.returncode}: {p.stderr.strip()}")
        return
    rules = json.loads(p.stdout)["runs"][0]["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    if ids != sorted(pages):
        fail("rules", f"SARIF rule ids {ids} are not the docs/rules pages {sorted(pages)}")
    for r in rules:
        rid = r["id"]
        if rid not in pages:
            continue
        meta, body = pages[rid]
        what = f"{rid}"
        expect = {
            "name": meta["name"],
            "title": rid,
            "shortDescription": meta["short"],
            "level": meta["level"],
            "precision": meta["precision"],
            "tags": [t.strip() for t in meta["tags"].strip("[]").split(",")],
            "helpUri": f"{BASE}docs/rules/{rid}.md",
            "help.markdown": resolve(body),
        }
        got = {
            "name": r["name"],
            "title": meta["title"],
            "shortDescription": r["shortDescription"]["text"],
            "level": r["defaultConfiguration"]["level"],
            "precision": r["properties"]["precision"],
            "tags": r["properties"]["tags"],
            "helpUri": r["helpUri"],
            "help.markdown": r["help"]["markdown"],
        }
        for k in expect:
            if expect[k] != got[k]:
                fail(what, f"{k} differs from docs/rules/{rid}.md:\n  docs:  {expect[k]!r}\n"
                           f"  sarif: {got[k]!r}")
        md_words = emphasis_free(words(resolve(body)))
        if emphasis_free(plain_words(r["help"]["text"])) != md_words:
            fail(what, "help.text does not hold the words of the page")
        desc = re.split(r"^#", body, maxsplit=1, flags=re.M)[0]
        if emphasis_free(plain_words(r["fullDescription"]["text"])) != \
                emphasis_free(words(resolve(desc))):
            fail(what, "fullDescription is not the page's description")
        if "krefcheck-doc-base:" in json.dumps(r):
            fail(what, "an unresolved doc link marker")
        if "](" + BASE not in r["help"]["markdown"] and "](" in body:
            fail(what, "relative links of the page not resolved against --doc-base-uri")


def check_index(src, pages):
    path = os.path.join(src, "docs", "checks.md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    rows = re.findall(r"^\| \[`?([\w-]+)`?\]\(rules/([\w-]+)\.md\) \| (.*?) \|$", text, flags=re.M)
    listed = {}
    for rid, file_id, short in rows:
        if rid != file_id:
            fail(path, f"row {rid} links rules/{file_id}.md")
        listed[rid] = short
    if sorted(listed) != sorted(pages):
        fail(path, f"index lists {sorted(listed)}, docs/rules has {sorted(pages)}")
    for rid, short in listed.items():
        if rid in pages and short != pages[rid][0]["short"]:
            fail(path, f"{rid}: '{short}' is not the page's short description "
                       f"'{pages[rid][0]['short']}'")


def check_generator(python3, src):
    gen = os.path.join(src, "scripts", "gen_rule_docs.py")
    real = sorted(glob.glob(os.path.join(src, "docs", "rules", "*.md")))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "RuleDocs.cpp")
        p = subprocess.run([python3, gen, out] + real, capture_output=True, text=True)
        if p.returncode != 0 or not os.path.exists(out):
            fail("generator", f"the real docs are rejected: {p.stderr.strip()}")
        # A copy of the tree's docs/ (for the relative links), one page broken at a time.
        leak = os.path.join(src, "docs", "rules", "krefcheck-leak.md")
        with open(leak, encoding="utf-8") as f:
            good = f.read()
        cases = {
            "missing key": (good.replace("precision: high\n", ""), "front matter misses precision"),
            "unknown key": (good.replace("level:", "severity: x\nlevel:"),
                            "unknown front matter key 'severity'"),
            "bad level": (good.replace("level: warning", "level: fatal"),
                          "level 'fatal' is not one of"),
            "id not file": (good.replace("id: krefcheck-leak", "id: krefcheck-lek"),
                            "is not the file name"),
            "no front matter": (good.split("---\n", 2)[2], "expected front matter"),
            "no title": (good.replace("# krefcheck-leak\n", "# Leaks\n"),
                         "expected the title '# krefcheck-leak'"),
            "no example": (good.replace("## Example", "## Sample"), "no '## Example' section"),
            "broken link": (good.replace("(krefcheck-loop-leak.md)", "(krefcheck-loop.md)"),
                            "link target 'krefcheck-loop.md' does not exist"),
            "bad tags": (good.replace("tags: [", "tags: "), "tags must be a list"),
        }
        for name, (text, expect) in cases.items():
            if text == good:
                fail("generator", f"{name}: the test did not change the page")
                continue
            docs = os.path.join(tmp, name.replace(" ", "_"), "docs")
            shutil.copytree(os.path.join(src, "docs"), docs)
            page = os.path.join(docs, "rules", "krefcheck-leak.md")
            with open(page, "w", encoding="utf-8") as f:
                f.write(text)
            pages = sorted(glob.glob(os.path.join(docs, "rules", "*.md")))
            out = os.path.join(tmp, name.replace(" ", "_"), "RuleDocs.cpp")
            p = subprocess.run([python3, gen, out] + pages, capture_output=True, text=True)
            err = p.stderr.strip()
            if p.returncode != 1 or os.path.exists(out) or "\n" in err or \
                    not err.startswith(f"gen_rule_docs.py: error: {page}:") or expect not in err:
                fail("generator", f"{name}: exit {p.returncode}, stderr {err!r} "
                                  f"(expected one line naming {page} with {expect!r})")


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    krefcheck, src, python3 = sys.argv[1:]
    pages = {}
    for path in sorted(glob.glob(os.path.join(src, "docs", "rules", "*.md"))):
        meta, body = read_page(path)
        if meta is not None:
            pages[os.path.basename(path)[:-3]] = (meta, body)
    if not pages:
        fail("docs/rules", "no pages")
    check_sarif(krefcheck, src, pages)
    check_index(src, pages)
    check_generator(python3, src)
    for f in FAILURES:
        print(f"check_rule_docs: FAIL: {f}", file=sys.stderr)
    if FAILURES:
        return 1
    print(f"check_rule_docs: {len(pages)} rule pages match the SARIF rules, the index and the "
          "generator's checks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
