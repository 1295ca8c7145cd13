#!/usr/bin/env python3
"""compdb-compare.py - compare two kernel compile databases entry by entry.

Usage: compdb-compare.py REAL.json RECORDED.json [DIR/...]

Checks that both databases hold the same source files (under the given directories, as
paths relative to the kernel tree, taken from each command's "-o DIR/FILE.o"; default: all
entries) and that each file's "command" is byte-identical.  "directory" may differ (two
build directories) and is not compared.  Made to check kernel-compdb.sh's recorded
database against the database of a real build.

Exit status: 0 identical, 1 different, 2 bad input.
"""
import json
import shlex
import sys


def fail(msg):
    print(f"compdb-compare: error: {msg}", file=sys.stderr)
    sys.exit(2)


def load(path, dirs):
    try:
        with open(path, encoding="utf-8") as f:
            entries = json.load(f)
        if not isinstance(entries, list):
            raise ValueError("not a JSON array")
    except (OSError, ValueError) as e:
        fail(f"{path}: {e}")
    out = {}
    for e in entries:
        try:
            words = shlex.split(e["command"])
            obj = words[words.index("-o") + 1]
        except (KeyError, TypeError, ValueError, IndexError):
            fail(f"{path}: entry without a command with -o: {e!r:.200}")
        if dirs and not any(obj.startswith(d) for d in dirs):
            continue
        if obj in out and out[obj] != e["command"]:
            fail(f"{path}: two different commands for {obj}")
        out[obj] = e["command"]
    return out


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    dirs = [d.rstrip("/") + "/" for d in argv[3:]]
    real, rec = load(argv[1], dirs), load(argv[2], dirs)
    only_real = sorted(set(real) - set(rec))
    only_rec = sorted(set(rec) - set(real))
    differ = sorted(o for o in set(real) & set(rec) if real[o] != rec[o])
    for o in only_real:
        print(f"only in {argv[1]}: {o}")
    for o in only_rec:
        print(f"only in {argv[2]}: {o}")
    for o in differ:
        a, b = real[o], rec[o]
        i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
        print(f"command differs: {o} at byte {i}: ...{a[max(0, i - 40):i + 40]!r} vs ...{b[max(0, i - 40):i + 40]!r}")
    same = len(set(real) & set(rec)) - len(differ)
    print(f"{len(real)} entries in {argv[1]}, {len(rec)} in {argv[2]}"
          f"{' under ' + ' '.join(dirs) if dirs else ''}: {same} byte-identical commands, "
          f"{len(differ)} different, {len(only_real)} + {len(only_rec)} only in one")
    return 0 if not (only_real or only_rec or differ) and real else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
