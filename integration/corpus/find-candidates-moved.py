#!/usr/bin/env python3
"""List functions where Linux 6.1 -> 6.12 MOVED, REMOVED or ADDED a get/put/lookup line
without increasing the release count (the complement of find-candidates.py).

Usage: find-candidates-moved.py OLD_TREE NEW_TREE [--out FILE]

For every .c file present at the same path in both trees whose text differs, the functions are
matched by name (with find-candidates.py's function splitter). A function is listed when its
changed lines (a unified diff of the old and new body) contain a get/put/lookup/registration
token (of_node_get/put, get/put_device, fwnode_handle_get/put, platform_device_put,
of_find_*, of_get_child_by_name, of_get_parent, of_get_next_parent, device_register,
device_add), unless the change only re-indents such lines, and it is NOT already a
find-candidates.py candidate (no release token count grew). Typical hits: a put removed
(double put / put of a borrowed reference), a put moved after the last use (use after put),
of_find_node_by_name(np, ...) replaced by of_get_child_by_name, registration error paths,
and many refactors (negatives).
Prints one TSV line per candidate: file, function, old first-last line, new first-last line,
and how many added/removed changed lines contain a token.

The issue-12 second candidate list was made with:
    find-candidates-moved.py /work/kernels/linux-6.1 /work/kbuild/linux-6.12
"""
import difflib
import importlib.util
import os
import re
import sys

_spec = importlib.util.spec_from_file_location(
    "find_candidates", os.path.join(os.path.dirname(os.path.abspath(__file__)), "find-candidates.py"))
fc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fc)

TOK = re.compile(r"\b(of_node_put|of_node_get|put_device|get_device|fwnode_handle_put|"
                 r"fwnode_handle_get|platform_device_put|of_find_node_by_name|of_get_child_by_name|"
                 r"of_find_compatible_node|of_find_node_by_type|of_find_matching_node|of_get_parent|"
                 r"of_get_next_parent|of_find_node_by_path|device_register|device_add)\b")


def changed_token_lines(old_body, new_body):
    ch = [l for l in difflib.unified_diff(old_body.split("\n"), new_body.split("\n"), lineterm="", n=0)
          if l[:1] in "+-" and not l.startswith("+++") and not l.startswith("---")]
    plus = [l for l in ch if l.startswith("+") and TOK.search(l)]
    minus = [l for l in ch if l.startswith("-") and TOK.search(l)]
    return plus, minus


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: find-candidates-moved.py OLD_TREE NEW_TREE [--out FILE]")
    old, new = sys.argv[1], sys.argv[2]
    out = sys.stdout
    if "--out" in sys.argv:
        out = open(sys.argv[sys.argv.index("--out") + 1], "w")
    for rel, to, tn in fc.changed_files(old, new, lambda t: bool(TOK.search(t))):
        fo, fn = fc.functions(to), fc.functions(tn)
        for name, (a, b, body) in fn.items():
            if name not in fo:
                continue
            oa, ob, old_body = fo[name]
            if old_body == body:
                continue
            cn, co = fc.counts(body), fc.counts(old_body)
            if any(cn[t] > co[t] for t in fc.TOKENS):
                continue  # listed by find-candidates.py
            plus, minus = changed_token_lines(old_body, body)
            if not plus and not minus:
                continue
            # a pure re-indent of the same token lines is not a change
            if sorted(TOK.findall(" ".join(plus))) == sorted(TOK.findall(" ".join(minus))) and \
                    [re.sub(r"\s+", "", l[1:]) for l in plus] == [re.sub(r"\s+", "", l[1:]) for l in minus]:
                continue
            out.write(f"{rel}\t{name}\t{oa}-{ob}\t{a}-{b}\t+{len(plus)}/-{len(minus)} token lines\n")


if __name__ == "__main__":
    main()
