#!/usr/bin/env python3
"""List functions where Linux 6.1 -> 6.12 added a reference release.

Usage: find-candidates.py OLD_TREE NEW_TREE [--out FILE]

For every .c file present at the same path in both trees whose text differs, the functions
(kernel style: body opens with '{' in column 0 and closes with '}' in column 0) are matched by
name, and the release tokens counted in each. A function whose NEW version has more of any
token than its OLD version is a candidate: a fix of a real leak, or a refactor (a negative).
Prints one TSV line per candidate: file, function, old first-last line, new first-last line,
the tokens added (token+N), and the old/new counts.

The issue-12 candidate lists were made with:
    find-candidates.py /work/kernels/linux-6.1 /work/kbuild/linux-6.12
"""
import os, re, sys

TOKENS = {
    "of_node_put": re.compile(r"\bof_node_put\s*\("),
    "put_device": re.compile(r"\bput_device\s*\("),
    "fwnode_handle_put": re.compile(r"\bfwnode_handle_put\s*\("),
    "platform_device_put": re.compile(r"\bplatform_device_put\s*\("),
    "__free(device_node)": re.compile(r"__free\s*\(\s*device_node\s*\)"),
    "__free(fwnode_handle)": re.compile(r"__free\s*\(\s*fwnode_handle\s*\)"),
    "__free(put_device)": re.compile(r"__free\s*\(\s*put_device\s*\)"),
    "_scoped": re.compile(r"\b\w+_scoped\s*\("),
}
NAME = re.compile(r"([A-Za-z_]\w*)\s*\(")
KW = {"if", "for", "while", "switch", "return", "sizeof", "__attribute__", "__section",
      "__printf", "__acquires", "__releases", "__must_hold", "__init", "__exit"}


def functions(text):
    lines = text.split("\n")
    out = {}
    i = 0
    n = len(lines)
    while i < n:
        if lines[i].startswith("{"):
            # signature: go back to the line with '(' of the declarator
            j = i - 1
            sig = []
            while j >= 0 and j >= i - 8:
                l = lines[j]
                if l.strip() == "" or l.rstrip().endswith(";") or l.startswith("}") or l.startswith("#"):
                    break
                sig.insert(0, l)
                j -= 1
            s = " ".join(sig)
            name = None
            p = s.find("(")
            if p > 0:
                for m in NAME.finditer(s[: p + 1]):
                    pass
                m = None
                cands = [m for m in NAME.finditer(s) if m.group(1) not in KW]
                if cands:
                    # the declarator is the first identifier followed by '(' that is not a macro
                    # attribute: take the first candidate whose '(' is at top level
                    name = cands[0].group(1)
                    for c in cands:
                        if not c.group(1).isupper() and not c.group(1).startswith("__"):
                            name = c.group(1)
                            break
            k = i + 1
            while k < n and not lines[k].startswith("}"):
                k += 1
            if name and "=" not in s.split("(")[0]:
                body = "\n".join(lines[i:k + 1])
                out.setdefault(name, (j + 2, k + 1, body))
            i = k + 1
        else:
            i += 1
    return out


def counts(body):
    return {t: len(r.findall(body)) for t, r in TOKENS.items()}


def changed_files(old, new, wanted):
    """(path relative to the tree, old text, new text) of every .c file at the same path in both
    trees whose text differs and whose new text satisfies wanted(text), in path order."""
    for root, dirs, files in os.walk(new):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if not f.endswith(".c"):
                continue
            pn = os.path.join(root, f)
            rel = os.path.relpath(pn, new)
            po = os.path.join(old, rel)
            if not os.path.exists(po):
                continue
            tn = open(pn, encoding="latin-1").read()
            to = open(po, encoding="latin-1").read()
            if tn != to and wanted(tn):
                yield rel, to, tn


def main():
    old, new = sys.argv[1], sys.argv[2]
    out = sys.stdout
    if "--out" in sys.argv:
        out = open(sys.argv[sys.argv.index("--out") + 1], "w")
    for rel, to, tn in changed_files(old, new, lambda t: any(r.search(t) for r in TOKENS.values())):
        fo, fn = functions(to), functions(tn)
        for name, (a, b, body) in fn.items():
            if name not in fo:
                continue
            cn, co = counts(body), counts(fo[name][2])
            added = [f"{t}+{cn[t] - co[t]}" for t in TOKENS if cn[t] > co[t]]
            if added:
                oa, ob, _ = fo[name]
                out.write(f"{rel}\t{name}\t{oa}-{ob}\t{a}-{b}\t{','.join(added)}\n")


if __name__ == "__main__":
    main()
