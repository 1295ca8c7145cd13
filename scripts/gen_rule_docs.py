#!/usr/bin/env python3
"""Generates krefcheck's rule table (checker/findings/RuleDocs.h) from docs/rules/*.md.

usage: gen_rule_docs.py OUTPUT.cpp DOC.md...

docs/rules/<id>.md is the one source of each rule's id, SARIF name, descriptions, level,
precision, tags and help. The build runs this script (CMakeLists.txt) and compiles its output
into the binary, which never reads the docs at run time. A page is:

    ---
    id: krefcheck-leak                  (the file name without .md)
    name: ReferenceLeak                 (SARIF reportingDescriptor.name, CamelCase)
    short: A counted reference is ...   (shortDescription: one sentence)
    level: warning                      (warning | error | note)
    precision: high                     (very-high | high | medium | low)
    tags: [reliability, correctness]    (properties.tags, at least one)
    ---
    # krefcheck-leak

    Description paragraphs (fullDescription, as plain text) up to the first heading.

    ## Example
    ...
    ## Fix
    ...

Everything after the title line is help.markdown; help.text is the same as plain text. A
relative link ([format](../rules-format.md)) must name an existing file; in the table it is
written relative to the documentation root behind DOC_BASE_MARKER, which the SARIF writer
replaces with its documentation URI. Rules are ordered by id. Any malformed page, missing or
unknown key, or broken link is a one-line error naming the file, and the build fails.
"""
import os
import re
import sys

DOC_BASE_MARKER = "krefcheck-doc-base:"
KEYS = ("id", "name", "short", "level", "precision", "tags")
LEVELS = ("warning", "error", "note")
PRECISIONS = ("very-high", "high", "medium", "low")
REQUIRED_SECTIONS = ("Example", "Fix")


class DocError(Exception):
    def __init__(self, path, line, what):
        super().__init__(f"{path}:{line}: {what}" if line else f"{path}: {what}")


def parse_front_matter(path, lines):
    if not lines or lines[0] != "---":
        raise DocError(path, 1, "expected front matter ('---' on the first line, then "
                       + ", ".join(KEYS) + ")")
    meta = {}
    for n, line in enumerate(lines[1:], start=2):
        if line == "---":
            break
        m = re.fullmatch(r"([a-z]+): (\S.*)", line)
        if not m:
            raise DocError(path, n, f"front matter line is not 'key: value': {line!r}")
        key, value = m.group(1), m.group(2).rstrip()
        if key not in KEYS:
            raise DocError(path, n, f"unknown front matter key '{key}' (expected {', '.join(KEYS)})")
        if key in meta:
            raise DocError(path, n, f"front matter key '{key}' given twice")
        if key == "tags":
            t = re.fullmatch(r"\[(.*)\]", value)
            if not t:
                raise DocError(path, n, "tags must be a list: [tag, tag, ...]")
            tags = [x.strip() for x in t.group(1).split(",")]
            if not all(re.fullmatch(r"[a-z0-9][a-z0-9.-]*", x) for x in tags):
                raise DocError(path, n, f"tags must be lower-case words: {value}")
            meta[key] = tags
        else:
            if ": " in value or " #" in value or value[0] in "[]{}&*!|>'\"%@`#,":
                raise DocError(path, n, f"'{key}' must be a plain YAML scalar (no ': ', ' #' "
                               "and no leading quote or YAML indicator)")
            meta[key] = value
    else:
        raise DocError(path, 1, "front matter is not closed by a '---' line")
    missing = [k for k in KEYS if k not in meta]
    if missing:
        raise DocError(path, 0, "front matter misses " + ", ".join(missing))
    return meta, n  # n: the closing '---' line (1-based) = index of the body's first line


def check_meta(path, meta):
    stem = os.path.basename(path)[:-len(".md")]
    if meta["id"] != stem:
        raise DocError(path, 0, f"id '{meta['id']}' is not the file name '{stem}'")
    if not re.fullmatch(r"krefcheck-[a-z]+(-[a-z]+)*", meta["id"]):
        raise DocError(path, 0, f"id '{meta['id']}' is not krefcheck-<lower-case words>")
    if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", meta["name"]):
        raise DocError(path, 0, f"name '{meta['name']}' is not CamelCase")
    if meta["level"] not in LEVELS:
        raise DocError(path, 0, f"level '{meta['level']}' is not one of {', '.join(LEVELS)}")
    if meta["precision"] not in PRECISIONS:
        raise DocError(path, 0, f"precision '{meta['precision']}' is not one of "
                       + ", ".join(PRECISIONS))
    if not meta["short"].endswith("."):
        raise DocError(path, 0, "short must be one sentence ending in '.'")


def resolve_links(path, text, first_line):
    """Relative link targets -> DOC_BASE_MARKER + path from the documentation root."""
    doc_dir = os.path.dirname(os.path.abspath(path))
    root = os.path.dirname(os.path.dirname(doc_dir))  # docs/rules/ -> the tree

    def fix(m):
        target = m.group(2)
        if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", target) or target.startswith("#"):
            return m.group(0)
        file_part = target.split("#", 1)[0]
        full = os.path.normpath(os.path.join(doc_dir, file_part))
        line = first_line + text.count("\n", 0, m.start())
        if target.startswith("/") or not os.path.exists(full):
            raise DocError(path, line, f"link target '{target}' does not exist")
        rel = os.path.relpath(full, root)
        if rel.startswith(".."):
            raise DocError(path, line, f"link target '{target}' is outside the tree")
        return f"{m.group(1)}({DOC_BASE_MARKER}{rel}{target[len(file_part):]})"

    return re.sub(r"(\[[^\]\n]*\])\(([^)\s]+)\)", fix, text)


def inline_plain(s):
    """Markdown inline markup -> plain text: code spans, emphasis, links."""
    out = []
    for i, part in enumerate(s.split("`")):
        if i % 2:
            out.append(part)  # inside a code span: verbatim
            continue
        part = re.sub(r"\[([^\]]*)\]\(([^)]*)\)", r"\1 (\2)", part)
        part = re.sub(r"\*\*([^*]+)\*\*", r"\1", part)
        part = re.sub(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])", r"\1", part)
        out.append(part)
    return "".join(out)


def plain_text(markdown):
    """Block layout as plain text: paragraphs and list items on one line each, headings as
    their text, code blocks verbatim and indented by four spaces, blocks separated by a blank
    line."""
    blocks, cur, in_code = [], [], False

    def flush():
        if cur:
            blocks.append("\n".join(cur))
            cur.clear()

    for line in markdown.split("\n"):
        if line.startswith("```"):
            flush()
            in_code = not in_code
            continue
        if in_code:
            cur.append("    " + line if line else "")
            continue
        if not line.strip():
            flush()
            continue
        h = re.match(r"#+ (.*)", line)
        if h:
            flush()
            blocks.append(inline_plain(h.group(1)))
            continue
        if re.match(r"[-*] ", line):
            cur.append(inline_plain(line))
        elif cur:
            cur[-1] += " " + inline_plain(line.strip())
        else:
            cur.append(inline_plain(line.strip()))
    flush()
    return "\n\n".join(blocks) + "\n"


def parse_doc(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise DocError(path, 0, f"cannot be read as UTF-8: {e}")
    if "\r" in text:
        raise DocError(path, 0, "has CR line ends")
    lines = text.split("\n")
    meta, close = parse_front_matter(path, lines)
    check_meta(path, meta)
    if close >= len(lines) or lines[close] != "# " + meta["id"]:
        raise DocError(path, close + 1, f"expected the title '# {meta['id']}' after the front matter")
    body = "\n".join(lines[close + 1:]).strip("\n") + "\n"
    body = resolve_links(path, body, close + 2)
    headings = re.findall(r"^## (.*)$", body, flags=re.M)
    for s in REQUIRED_SECTIONS:
        if s not in headings:
            raise DocError(path, 0, f"has no '## {s}' section")
    if "```c\n" not in body.split("\n## Example\n", 1)[1]:
        raise DocError(path, 0, "the Example section has no ```c code block")
    desc = re.split(r"^#", body, maxsplit=1, flags=re.M)[0].strip("\n")
    if not desc:
        raise DocError(path, close + 2, "no description between the title and the first heading")
    meta["full"] = plain_text(desc).rstrip("\n")
    meta["help_markdown"] = body
    meta["help_text"] = plain_text(body)
    return meta


def cxx_string(s, indent="      "):
    """A C++ string literal (one piece per line of s) for any UTF-8 text."""
    if not s:
        return '""'
    pieces = []
    for line in s.splitlines(keepends=True):
        out = []
        for ch in line:
            if ch == "\\":
                out.append("\\\\")
            elif ch == '"':
                out.append('\\"')
            elif ch == "\n":
                out.append("\\n")
            elif ch == "\t":
                out.append("\\t")
            elif ch == "?":
                out.append("\\?")  # no trigraphs, whatever the compiler
            elif ord(ch) < 0x20 or ord(ch) == 0x7F:
                out.append(f"\\{ord(ch):03o}")
            elif ord(ch) > 0x7F:
                out.extend(f"\\{b:03o}" for b in ch.encode("utf-8"))
            else:
                out.append(ch)
        pieces.append('"' + "".join(out) + '"')
    return ("\n" + indent).join(pieces)


def main(argv):
    if len(argv) < 3:
        print("usage: gen_rule_docs.py OUTPUT.cpp DOC.md...", file=sys.stderr)
        return 2
    out, docs = argv[1], sorted(argv[2:], key=os.path.basename)
    try:
        rules = [parse_doc(p) for p in docs]
    except DocError as e:
        print(f"gen_rule_docs.py: error: {e}", file=sys.stderr)
        return 1
    names = {}
    for r in rules:
        if r["name"] in names:
            print(f"gen_rule_docs.py: error: name '{r['name']}' of {r['id']} is also the name of "
                  f"{names[r['name']]}", file=sys.stderr)
            return 1
        names[r["name"]] = r["id"]
    src = ["// Generated by scripts/gen_rule_docs.py from docs/rules/*.md: edit those, not this.",
           '#include "findings/RuleDocs.h"', "", "namespace krefcheck {", "",
           "const std::vector<RuleDoc> &ruleDocs() {",
           "  static const std::vector<RuleDoc> Docs = {"]
    for r in rules:
        src.append("    RuleDoc{")
        for key in ("id", "name", "short", "full", "help_text", "help_markdown", "level",
                    "precision"):
            src.append(f"      {cxx_string(r[key])},")
        src.append("      {" + ", ".join(cxx_string(t) for t in r["tags"]) + "}},")
    src += ["  };", "  return Docs;", "}", "", "}  // namespace krefcheck", ""]
    text = "\n".join(src)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(out + ".tmp", out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
