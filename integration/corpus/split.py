#!/usr/bin/env python3
"""Checks the corpus files of integration/corpus/ and fills in their fixed dev/heldout split.

usage: split.py --check [FILE...]
       split.py --write [FILE...]

FILE defaults to the corpus files beside this script (debian-6.1.json, public-6.12.json,
negatives-6.1.json; those that exist).

The split is decided by a fixed rule, never by hand (README.md):
    h = sha256((file + ":" + function).encode()).hexdigest()
    split = "dev" if int(h[0], 16) % 2 == 0 else "heldout"

--check  prints one line "FILE: ID: problem" per entry whose split disagrees with the rule,
         that misses a required field, or whose field has a bad value (class not a-f, tree
         not 6.1/6.12, a line that is not a positive integer, an unknown capability), and per
         id used twice or out of order; exit 1 if there is any, 0 if none.
--write  sets "split" of every entry that has a file and a function (the other fields are
         written back unchanged, in their order, with the file's indentation), then checks as
         --check does.

Exit status: 0 all good, 1 problems listed, 2 bad usage or an unreadable file (one line
"split.py: error: FILE: what" on stderr).
"""
import hashlib
import json
import os
import sys

REQUIRED = ("id", "title", "commit", "source", "tree", "file", "function", "api", "class",
            "acquire_line", "bad_line", "note", "also_in_shared_bench", "split")
CLASSES = ("a", "b", "c", "d", "e", "f")
TREES = ("6.1", "6.12")
CAPABILITIES = ("", "registration", "out-param", "stored-alias", "borrowed-from",
                "conditional-summary", "long-lived-field", "struct-iterator")
DEFAULT_FILES = ("debian-6.1.json", "public-6.12.json", "negatives-6.1.json")


class BadInput(Exception):
    pass


def split_of(file, function):
    """The fixed rule: dev when the first hex digit of sha256(file:function) is even."""
    h = hashlib.sha256((file + ":" + function).encode()).hexdigest()
    return "dev" if int(h[0], 16) % 2 == 0 else "heldout"


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise BadInput("%s: %s" % (path, e.strerror or e))
    try:
        data = json.loads(text)
    except ValueError as e:
        raise BadInput("%s: not JSON (%s)" % (path, e))
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise BadInput("%s: not a JSON array of objects" % path)
    return text, data


def problems(entries):
    """(id, problem) pairs, in the order of the file."""
    out = []
    seen = set()
    prev = None
    for n, e in enumerate(entries):
        eid = e.get("id")
        name = eid if isinstance(eid, str) and eid else "entry %d" % (n + 1)
        for k in REQUIRED:
            if k not in e:
                out.append((name, "missing field '%s'" % k))
        for k in REQUIRED:
            if k in e and k not in ("acquire_line", "bad_line") and not isinstance(e[k], str):
                out.append((name, "field '%s' is not a string" % k))
        for k in ("id", "file", "function", "api", "note"):
            if isinstance(e.get(k), str) and not e[k].strip():
                out.append((name, "field '%s' is empty" % k))
        if "class" in e and e["class"] not in CLASSES:
            out.append((name, "bad class %s (not one of a-f)" % json.dumps(e["class"])))
        if "tree" in e and e["tree"] not in TREES:
            out.append((name, "bad tree %s (not 6.1 or 6.12)" % json.dumps(e["tree"])))
        for k in ("acquire_line", "bad_line"):
            v = e.get(k)
            if k in e and (not isinstance(v, int) or isinstance(v, bool) or v <= 0):
                out.append((name, "field '%s' is not a positive line number: %s" % (k, json.dumps(v))))
        if "capability" in e and e["capability"] not in CAPABILITIES:
            out.append((name, "unknown capability %s" % json.dumps(e["capability"])))
        if isinstance(e.get("file"), str) and isinstance(e.get("function"), str):
            want = split_of(e["file"], e["function"])
            if "split" in e and e["split"] != want:
                out.append((name, "split is %s, the rule gives \"%s\"" % (json.dumps(e["split"]), want)))
        if isinstance(eid, str):
            if eid in seen:
                out.append((name, "id used twice"))
            elif prev is not None and eid < prev:
                out.append((name, "not sorted by id (after %s)" % prev))
            seen.add(eid)
            prev = eid
    return out


def indent_of(text):
    for line in text.splitlines()[1:]:
        stripped = line.lstrip(" ")
        if stripped:
            return max(1, len(line) - len(stripped))
    return 2


def main(argv):
    mode = argv[1] if len(argv) > 1 else ""
    if mode in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if mode not in ("--check", "--write"):
        print("split.py: error: usage: split.py --check|--write [FILE...]", file=sys.stderr)
        return 2
    files = argv[2:]
    if not files:
        here = os.path.dirname(os.path.abspath(__file__))
        files = [os.path.join(here, f) for f in DEFAULT_FILES
                 if os.path.exists(os.path.join(here, f))]
        if not files:
            print("split.py: error: %s: no corpus file (%s)" % (here, ", ".join(DEFAULT_FILES)),
                  file=sys.stderr)
            return 2
    bad = 0
    total = 0
    for path in files:
        try:
            text, entries = load(path)
        except BadInput as e:
            print("split.py: error: %s" % e, file=sys.stderr)
            return 2
        if mode == "--write":
            changed = 0
            for e in entries:
                if isinstance(e.get("file"), str) and isinstance(e.get("function"), str):
                    want = split_of(e["file"], e["function"])
                    if e.get("split") != want:
                        e["split"] = want
                        changed += 1
            if changed:
                with open(path, "w", encoding="utf-8") as f:
                    json.dump(entries, f, indent=indent_of(text), ensure_ascii=False)
                    f.write("\n")
            print("%s: split written for %d of %d entries" % (path, changed, len(entries)))
        for eid, what in problems(entries):
            print("%s: %s: %s" % (path, eid, what))
            bad += 1
        total += len(entries)
    print("%d entries in %d files, %d problems" % (total, len(files), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
