#!/usr/bin/env python3
"""integration/corpus/split.py on temporary corpus files (no kernel tree needed).

usage: corpus_split_test.py SOURCE_DIR

- The split rule is pinned on known hashes: sha256("a.c:g") starts with 2 (dev),
  sha256("a.c:f") with 9 and sha256("drivers/clk/clk.c:of_clk_get_parent_name") with b
  (heldout).
- --check lists exactly the bad entries (wrong split, missing field, bad class, bad tree, bad
  line, unknown capability, id twice / out of order) and exits 1; a good file exits 0.
- --write fills in the missing and wrong splits, keeps the other fields and their order and
  the file's indentation; the file then passes --check.
- An unreadable or non-array file is a one-line error naming the file, exit 2.
"""
import json
import os
import subprocess
import sys
import tempfile


def entry(eid, file, function, split, **kw):
    e = {"id": eid, "title": "t", "commit": "", "source": "debian 6.1->6.12 diff", "tree": "6.1",
         "file": file, "function": function, "api": "of_get_child_by_name", "class": "a",
         "acquire_line": 10, "bad_line": 12, "note": "np from L10; return at L12",
         "capability": "", "also_in_shared_bench": ""}
    if split is not None:
        e["split"] = split
    e.update(kw)
    return e


def main():
    src = sys.argv[1]
    tool = os.path.join(src, "integration", "corpus", "split.py")
    failures = []

    def run(*args):
        r = subprocess.run([sys.executable, tool] + list(args), capture_output=True, text=True)
        return r.returncode, r.stdout, r.stderr

    def expect(what, got, want):
        if got != want:
            failures.append("%s:\n  got  %r\n  want %r" % (what, got, want))

    with tempfile.TemporaryDirectory() as tmp:
        good = os.path.join(tmp, "good.json")
        with open(good, "w") as f:
            json.dump([entry("D001", "a.c", "g", "dev"),
                       entry("D002", "a.c", "f", "heldout"),
                       entry("D003", "drivers/clk/clk.c", "of_clk_get_parent_name", "heldout",
                             tree="6.12", capability="out-param")], f, indent=2)
        rc, out, err = run("--check", good)
        expect("good file: exit", rc, 0)
        expect("good file: output", out, "3 entries in 1 files, 0 problems\n")

        bad = os.path.join(tmp, "bad.json")
        broken = [entry("N001", "a.c", "g", "heldout"),          # rule says dev
                  entry("N002", "a.c", "f", None),               # split missing
                  entry("N003", "a.c", "f", "heldout", **{"class": "g"}),
                  entry("N004", "a.c", "f", "heldout", tree="6.2", acquire_line="10"),
                  entry("N005", "a.c", "f", "heldout", capability="magic"),
                  entry("N005", "a.c", "f", "heldout"),
                  entry("N004", "a.c", "f", "heldout")]
        del broken[3]["note"]
        with open(bad, "w") as f:
            json.dump(broken, f, indent=1)
        rc, out, err = run("--check", bad)
        expect("bad file: exit", rc, 1)
        expect("bad file: output", out.splitlines(), [
            bad + ': N001: split is "heldout", the rule gives "dev"',
            bad + ": N002: missing field 'split'",
            bad + ': N003: bad class "g" (not one of a-f)',
            bad + ": N004: missing field 'note'",
            bad + ': N004: bad tree "6.2" (not 6.1 or 6.12)',
            bad + ": N004: field 'acquire_line' is not a positive line number: \"10\"",
            bad + ': N005: unknown capability "magic"',
            bad + ": N005: id used twice",
            bad + ": N004: id used twice",
            "7 entries in 1 files, 9 problems"])

        # --write fixes the splits only, keeps order and indentation
        fix = os.path.join(tmp, "fix.json")
        entries = [entry("U001", "a.c", "g", "heldout"), entry("U002", "a.c", "f", None)]
        with open(fix, "w") as f:
            json.dump(entries, f, indent=1)
        rc, out, err = run("--write", fix)
        expect("--write: exit", rc, 0)
        expect("--write: output", out.splitlines(),
               [fix + ": split written for 2 of 2 entries", "2 entries in 1 files, 0 problems"])
        with open(fix) as f:
            text = f.read()
        entries[0]["split"] = "dev"
        entries[1]["split"] = "heldout"
        expect("--write: content", text, json.dumps(entries, indent=1) + "\n")
        expect("--write: key order", list(json.loads(text)[0].keys()), list(entries[0].keys()))
        rc, out, err = run("--check", fix)
        expect("after --write: exit", rc, 0)

        # --write cannot mend a bad class: still exit 1
        rc, out, err = run("--write", bad)
        expect("--write on bad: exit", rc, 1)
        expect("--write on bad: no split problem left",
               [l for l in out.splitlines() if "split" in l and "rule gives" in l], [])

        notarray = os.path.join(tmp, "obj.json")
        with open(notarray, "w") as f:
            f.write('{"id": "D001"}')
        rc, out, err = run("--check", notarray)
        expect("object file: exit", rc, 2)
        expect("object file: stderr", err, "split.py: error: %s: not a JSON array of objects\n" % notarray)
        missing = os.path.join(tmp, "missing.json")
        rc, out, err = run("--check", missing)
        expect("missing file: exit", rc, 2)
        expect("missing file: stderr", err,
               "split.py: error: %s: No such file or directory\n" % missing)
        rc, out, err = run("--frobnicate")
        expect("bad usage: exit", rc, 2)

    if failures:
        print("\n".join(failures))
        return 1
    print("corpus split: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
