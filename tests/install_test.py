#!/usr/bin/env python3
"""`cmake --install` into a fresh prefix, then the installed binary, run from another directory
on a compile database of its own, must find its rules and docs under the prefix only.

usage: install_test.py CMAKE BUILD_DIR SOURCE_DIR [--paths-allowed]

Nothing is copied by hand. The prefix's rules directory gets one extra rules file (a get/put
pair that exists nowhere else): its finding proves the rules were read from
<prefix>/share/krefcheck/rules, and the shipped of_node_get/of_node_put finding proves the
installed rules are complete. The SARIF help URIs must point at the installed docs, which
must exist. The build tree's path must not be in the binary (it would be a path baked in),
except in a sanitizer build (--paths-allowed), whose instrumentation keeps file names.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
    return cond


TEST_C = r"""
struct device_node;
struct device_node *of_find_node_by_path(const char *path);
void of_node_put(struct device_node *np);
struct probe_obj;
struct probe_obj *install_probe_get(int id);
void install_probe_put(struct probe_obj *o);
int node_ready(struct device_node *np);
int probe_ready(struct probe_obj *o);

int leak_node(void)
{
	struct device_node *np = of_find_node_by_path("/soc");

	if (!np)
		return -19;
	if (!node_ready(np))
		return -11; /* leak: of_node_put missing (shipped rules) */
	of_node_put(np);
	return 0;
}

int leak_probe(void)
{
	struct probe_obj *o = install_probe_get(1);

	if (!o)
		return -19;
	if (!probe_ready(o))
		return -11; /* leak: install_probe_put missing (prefix-only rule) */
	install_probe_put(o);
	return 0;
}
"""

PROBE_RULES = {
    "families": [{"name": "install_probe", "release": "install_probe_put"}],
    "functions": [
        {"name": "install_probe_get", "family": "install_probe", "returns": "acquired",
         "may_be_null": True},
        {"name": "install_probe_put", "family": "install_probe",
         "args": [{"index": 0, "effect": "release"}]},
    ],
}


def main():
    # --paths-allowed: a sanitizer build, whose instrumentation keeps source file names for
    # its reports (the run with the trees hidden below still checks nothing is read there).
    paths_allowed = "--paths-allowed" in sys.argv[1:]
    args = [a for a in sys.argv[1:] if a not in ("--paths-allowed", "")]
    if len(args) != 3:
        sys.exit(__doc__)
    cmake, build, src = args
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "prefix")
        p = subprocess.run([cmake, "--install", build, "--prefix", prefix], cwd=tmp,
                           capture_output=True, text=True)
        if not check(p.returncode == 0, f"cmake --install failed: {p.stdout}{p.stderr}"):
            return
        exe = os.path.join(prefix, "bin", "krefcheck")
        rules = os.path.join(prefix, "share", "krefcheck", "rules")
        doc = os.path.join(prefix, "share", "doc", "krefcheck")
        for f in [exe, os.path.join(rules, "device_node.json"), os.path.join(rules, "schema.json"),
                  os.path.join(doc, "README.md"), os.path.join(doc, "docs", "rules-format.md")]:
            check(os.path.isfile(f), f"not installed: {os.path.relpath(f, prefix)}")
        check(not os.path.exists(os.path.join(prefix, "bin", "rules")),
              "bin/rules installed (the build tree's link)")
        with open(exe, "rb") as f:
            binary = f.read()
        for tree in {os.path.realpath(src), src, os.path.realpath(build), build}:
            check(paths_allowed or tree.encode() not in binary,
                  f"the installed binary contains the path {tree}")
        with open(os.path.join(rules, "zz_install_probe.json"), "w") as f:
            json.dump(PROBE_RULES, f)

        project = os.path.join(tmp, "project")
        os.makedirs(project)
        with open(os.path.join(project, "t.c"), "w") as f:
            f.write(TEST_C)
        with open(os.path.join(project, "compile_commands.json"), "w") as f:
            json.dump([{"directory": project, "file": "t.c",
                        "arguments": ["cc", "-c", "t.c", "-o", "t.o"]}], f)
        elsewhere = os.path.join(tmp, "elsewhere")
        os.makedirs(elsewhere)

        p = subprocess.run([exe, "-p", project, "-q", "--no-cross-tu"], cwd=elsewhere,
                           capture_output=True, text=True)
        check(p.returncode == 1, f"text run: exit {p.returncode}, stderr: {p.stderr}")
        lines = p.stdout.splitlines()
        for fn, put in [("leak_node", "of_node_put"), ("leak_probe", "install_probe_put")]:
            check(any("krefcheck-leak" in l and put in l for l in lines),
                  f"no leak finding naming {put} ({fn}); stdout: {p.stdout}")

        p = subprocess.run([exe, "-p", project, "-q", "--no-cross-tu", "--format", "sarif",
                            "--srcroot", project], cwd=elsewhere, capture_output=True, text=True)
        check(p.returncode == 1, f"sarif run: exit {p.returncode}, stderr: {p.stderr}")
        try:
            run = json.loads(p.stdout)["runs"][0]
        except (ValueError, KeyError, IndexError) as e:
            check(False, f"sarif run: not a SARIF log ({e}): {p.stdout[:300]}")
            return
        base = "file://" + os.path.realpath(doc) + "/"
        driver = run["tool"]["driver"]
        check(driver.get("informationUri") == base + "README.md",
              f"informationUri {driver.get('informationUri')}, expected {base}README.md")
        for rule in driver.get("rules", []):
            uri = rule.get("helpUri", "")
            if check(uri.startswith(base + "docs/rules/"), f"helpUri {uri} not under {base}"):
                check(os.path.isfile(uri[len("file://"):]), f"helpUri {uri}: no such file")
        check(len(run.get("results", [])) == 2,
              f"{len(run.get('results', []))} SARIF results, expected 2")

        # As root (CI): once more with the source and build trees really gone, hidden behind
        # empty tmpfs mounts in a private mount namespace. Elsewhere this part cannot run.
        trees = sorted({os.path.realpath(src), os.path.realpath(build)})
        trees = [t for t in trees if not any(t.startswith(o + "/") for o in trees)]
        hide = " && ".join(f"mount -t tmpfs none '{d}'" for d in trees)
        can = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs none /mnt"],
                             capture_output=True, text=True) if shutil.which("unshare") else None
        if not can or can.returncode != 0:
            print(f"note: no run with the trees hidden (needs root and unshare): {can.stderr.strip() if can else 'no unshare'}")
        else:
            p = subprocess.run(["unshare", "-m", "sh", "-c",
                                f"{hide} && exec '{exe}' -p '{project}' -q --no-cross-tu"],
                               cwd=elsewhere, capture_output=True, text=True)
            if check(p.returncode == 1 and p.stdout.count("[krefcheck-leak]") == 2,
                     f"with the source tree hidden: exit {p.returncode}, stdout: {p.stdout}, "
                     f"stderr: {p.stderr}"):
                print("ran with the source and build trees hidden: 2 findings")

        p = subprocess.run([exe, "--version"], cwd=elsewhere, capture_output=True, text=True)
        check(p.returncode == 0 and p.stdout.startswith("krefcheck "), f"--version: {p.stdout}")
    for f in FAILURES:
        print("FAIL " + f)
    if FAILURES:
        sys.exit(1)
    print("install: OK")


if __name__ == "__main__":
    main()
