#!/usr/bin/env python3
"""integration/kernel-compdb.sh on a fake kernel tree (no kernel tree needed).

usage: kernel_compdb_test.py SOURCE_DIR COMPILER

The fake tree's Makefile has the three targets kernel-compdb.sh runs (defconfig, prepare,
compile_commands.json). prepare saves the compiler's command in scripts/mod/.empty.o.cmd as
Kbuild does: "savedcmd_X := ..." (Linux 6.2 and later) or "cmd_X := ..." (Linux 6.1 and
earlier, KC_PREFIX=cmd_). compile_commands.json then compiles foo.c as a Kbuild object
(-D__KERNEL__ -Wp,-MMD,DEP -c -o foo.o); foo.c holds an #error, so only the recorder, not the
real compiler, can turn it into an object.

- with both prefixes: exit 0, foo.o recorded (an empty object, its dependency file "foo.o:
  foo.c"), the database written;
- a .cmd file without a saved command: "no saved command", exit 2.
"""
import os
import subprocess
import sys
import tempfile

MAKEFILE = """\
KC_PREFIX ?= savedcmd_
defconfig:
\techo CONFIG_X=y > $(O)/.config
prepare:
\tmkdir -p $(O)/scripts/mod
\tprintf '%s\\n' '$(KC_PREFIX)scripts/mod/empty.o := $(KC_CC) -c -o scripts/mod/empty.o scripts/mod/empty.c' > $(O)/scripts/mod/.empty.o.cmd
compile_commands.json:
\t$(KC_CC) -D__KERNEL__ -Wp,-MMD,$(O)/.foo.o.d -c -o $(O)/foo.o $(CURDIR)/foo.c
\tprintf '[{"file": "foo.c"}]\\n' > $(O)/compile_commands.json
.PHONY: defconfig prepare compile_commands.json
"""


def main():
    src_dir, compiler = sys.argv[1], sys.argv[2]
    tool = os.path.join(src_dir, "integration", "kernel-compdb.sh")
    failures = []

    def expect(what, got, want):
        if got != want:
            failures.append("%s:\n  got  %r\n  want %r" % (what, got, want))

    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "linux")
        os.makedirs(os.path.join(src, "scripts", "clang-tools"))
        with open(os.path.join(src, "Makefile"), "w") as f:
            f.write(MAKEFILE)
        open(os.path.join(src, "scripts", "clang-tools", "gen_compile_commands.py"), "w").close()
        with open(os.path.join(src, "foo.c"), "w") as f:
            f.write("#error only the recorder may turn this into an object\n")

        for prefix in ("savedcmd_", "cmd_", "nocmd_"):
            build = os.path.join(tmp, "build-" + prefix)
            r = subprocess.run(["bash", tool, "-s", src, "-O", build, "-j", "1",
                                "KC_PREFIX=" + prefix, "KC_CC=" + compiler],
                               capture_output=True, text=True)
            if prefix == "nocmd_":
                expect("no saved command: exit", r.returncode, 2)
                expect("no saved command: message", r.stderr,
                       "kernel-compdb.sh: error: %s/scripts/mod/.empty.o.cmd: no saved command\n"
                       % build)
                continue
            expect(prefix + ": exit (stderr %s)" % r.stderr.strip()[-300:], r.returncode, 0)
            recorded = os.path.join(build, ".kcompdb", "recorded")
            got = open(recorded).read() if os.path.exists(recorded) else None
            expect(prefix + ": recorded", got, os.path.join(build, "foo.o") + "\n")
            dep = os.path.join(build, ".foo.o.d")
            got = open(dep).read() if os.path.exists(dep) else None
            expect(prefix + ": dependency file", got,
                   "%s/foo.o: %s/foo.c\n" % (build, src))
            obj = os.path.join(build, "foo.o")
            expect(prefix + ": an object", os.path.exists(obj) and os.path.getsize(obj) > 0, True)
            db = os.path.join(build, "compile_commands.json")
            expect(prefix + ": database", os.path.exists(db), True)

    if failures:
        print("\n".join(failures))
        return 1
    print("kernel-compdb: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
