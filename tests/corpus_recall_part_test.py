#!/usr/bin/env python3
"""integration/corpus/recall.sh picks the part (configuration) whose command compiles the
entry's function with the entry's bad line in it, on a fake kernel tree.

usage: corpus_recall_part_test.py SOURCE_DIR KREFCHECK

drivers/foo/foo.c defines foo_probe() (a leak) under CONFIG_FOO and an inline stub of the
same name otherwise. The "arm64" database compiles the stub, the "armv7" one the real
function: the entry must be analysed in armv7 and FOUND (the stub is not the function).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

FOO = """#include <linux/of.h>

#ifdef CONFIG_FOO
int foo_probe(struct device_node *np)
{
	struct device_node *child = of_get_child_by_name(np, "port");

	if (!child)
		return -1;
	return 0;
}
#else
static inline int foo_probe(struct device_node *np) { return 0; }
int foo_user(struct device_node *np) { return foo_probe(np); }
#endif
"""


def main():
    src, krefcheck = sys.argv[1], sys.argv[2]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        tree = os.path.join(tmp, "linux")
        os.makedirs(os.path.join(tree, "drivers", "foo"))
        for mk in ("Makefile", "drivers/foo/Makefile"):
            with open(os.path.join(tree, mk), "w") as f:
                f.write("# fake\n")
        with open(os.path.join(tree, "drivers", "foo", "foo.c"), "w") as f:
            f.write(FOO)
        # the preprocessor recall.sh runs is the database's compiler
        cc = shutil.which("clang") or shutil.which("clang-19") or "clang"
        dbs = {}
        for part, extra in (("arm64", []), ("armv7", ["-DCONFIG_FOO"])):
            db = os.path.join(tmp, part + ".json")
            with open(db, "w") as f:
                json.dump([{"directory": tree, "file": "drivers/foo/foo.c",
                            "arguments": [cc, "-nostdinc", "-I",
                                          os.path.join(src, "testdata", "include"),
                                          "-std=gnu11", "-D__KERNEL__"] + extra +
                                         ["-c", "drivers/foo/foo.c", "-o", "drivers/foo/foo.o"]}],
                          f)
            dbs[part] = db
        corpus = os.path.join(tmp, "public-6.12.json")
        with open(corpus, "w") as f:
            json.dump([{"id": "U001", "title": "t", "commit": "", "source": "test",
                        "tree": "6.12", "file": "drivers/foo/foo.c", "function": "foo_probe",
                        "api": "of_get_child_by_name", "class": "a", "acquire_line": 6,
                        "bad_line": 10, "note": "child from L6; return at L10",
                        "capability": "", "also_in_shared_bench": ""}], f, indent=2)
        split = os.path.join(src, "integration", "corpus", "split.py")
        subprocess.run([sys.executable, split, "--write", corpus], check=True,
                       capture_output=True)
        out = os.path.join(tmp, "out.json")
        r = subprocess.run(
            ["bash", os.path.join(src, "integration", "corpus", "recall.sh"), "--no-record",
             "--kcorpus", os.path.join(tmp, "kc"), "--src61", tree, "--src612", tree,
             "--db", "6.12-arm64=" + dbs["arm64"], "--db", "6.12-armv7=" + dbs["armv7"],
             "--krefcheck", krefcheck, "--out", os.path.join(tmp, "out.txt"), "--json", out,
             "-j", "1", corpus], capture_output=True, text=True)
        if r.returncode != 0:
            failures.append("recall.sh exit %d:\n%s%s" % (r.returncode, r.stdout, r.stderr))
        else:
            entries = {e["id"]: e for e in json.load(open(out))["entries"]}
            e = entries.get("U001", {})
            if e.get("part") != "armv7" or e.get("status") != "FOUND":
                failures.append("U001: part %r status %r, want armv7 FOUND\n%s" %
                                (e.get("part"), e.get("status"),
                                 open(os.path.join(tmp, "out.txt")).read()))
    for f in failures:
        print("FAIL: " + f)
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
