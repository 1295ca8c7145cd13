#!/usr/bin/env python3
"""Validates real krefcheck SARIF output against the official SARIF 2.1.0 schema.

usage: validate_sarif.py SCHEMA KREFCHECK SOURCE_DIR [--multitool SARIF_MULTITOOL]

Runs krefcheck on the demo tree (plain, and with a baseline that has a result the run no
longer has, a suppression and a file that fails) and on the annotated cases (failing files,
fix suggestions), and checks every log with jsonschema (Draft 4, the schema's draft, with the
"uri" and "uri-reference" formats checked) plus what the schema cannot say (rule indexes,
one code flow per result, fingerprints, relative artifact URIs). A missing schema is a
failure, never a skip.

With --multitool, every log is also checked by Microsoft's SARIF Multitool (`validate`, with
its default rules and with the GitHub rules, `--rule-kind Gh`): any error or warning it
reports fails. scripts/bootstrap.sh installs it (tools/package.json); a missing Multitool is
a failure, never a skip.
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

import jsonschema

# RFC 3986 (scheme ":" hier-part, or a relative reference), percent-encoding included.
_PCHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})"
URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:" + _PCHAR + r"*(?:#" + _PCHAR + r"*)?$")
URI_REF_RE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.\-]*:)?" + _PCHAR + r"*(?:#" + _PCHAR + r"*)?$")

FAILURES = []
LOGS = []  # (name, text) of every log checked, for the Multitool


def fail(what, msg):
    FAILURES.append(f"{what}: {msg}")


def format_checker():
    checker = jsonschema.FormatChecker()

    @checker.checks("uri")
    def is_uri(value):
        return not isinstance(value, str) or bool(URI_RE.match(value))

    @checker.checks("uri-reference")
    def is_uri_ref(value):
        return not isinstance(value, str) or bool(URI_REF_RE.match(value))

    return checker


def run(krefcheck, args, cwd, expect_exit=(0, 1)):
    p = subprocess.run([krefcheck] + args, cwd=cwd, capture_output=True, text=True)
    if p.returncode not in expect_exit:
        fail(" ".join(args), f"exit {p.returncode}, stderr: {p.stderr.strip()}")
    return p


def semantic_checks(what, log):
    runs = log.get("runs", [])
    if len(runs) != 1:
        fail(what, f"expected one run, got {len(runs)}")
        return
    run_ = runs[0]
    driver = run_["tool"]["driver"]
    rules = driver.get("rules", [])
    ids = [r["id"] for r in rules]
    for key in ("name", "version", "informationUri"):
        if not driver.get(key):
            fail(what, f"tool.driver.{key} missing")
    for r in rules:
        for key in ("name", "shortDescription", "fullDescription", "help", "helpUri",
                    "defaultConfiguration", "properties"):
            if key not in r:
                fail(what, f"rule {r['id']}: {key} missing")
        if not r.get("help", {}).get("markdown"):
            fail(what, f"rule {r['id']}: help.markdown missing")
        props = r.get("properties", {})
        if not props.get("tags") or not props.get("precision"):
            fail(what, f"rule {r['id']}: properties.tags/precision missing")
    if "SRCROOT" not in run_.get("originalUriBaseIds", {}):
        fail(what, "originalUriBaseIds.SRCROOT missing")
    inv = run_.get("invocations", [])
    if len(inv) != 1 or "executionSuccessful" not in inv[0] or "commandLine" not in inv[0]:
        fail(what, "invocations[0] with executionSuccessful and commandLine expected")
    for i, res in enumerate(run_.get("results", [])):
        where = f"results[{i}]"
        if res.get("ruleId") not in ids:
            fail(what, f"{where}: unknown ruleId {res.get('ruleId')}")
        elif res.get("ruleIndex") != ids.index(res["ruleId"]):
            fail(what, f"{where}: ruleIndex {res.get('ruleIndex')} does not match {res['ruleId']}")
        if "krefcheck/v2" not in res.get("partialFingerprints", {}):
            fail(what, f"{where}: partialFingerprints krefcheck/v2 missing")
        flows = res.get("codeFlows", [])
        if len(flows) != 1 or len(flows[0].get("threadFlows", [])) != 1:
            fail(what, f"{where}: expected exactly one codeFlow with one threadFlow")
        for loc in res.get("locations", []):
            art = loc["physicalLocation"]["artifactLocation"]
            if art.get("uriBaseId") != "SRCROOT" and not art["uri"].startswith("file://"):
                fail(what, f"{where}: relative uri without uriBaseId SRCROOT: {art}")


def validate(what, text, validator):
    LOGS.append((what, text))
    try:
        log = json.loads(text)
    except ValueError as e:
        fail(what, f"not JSON: {e}")
        return None
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    for e in errors[:20]:
        path = "/".join(str(p) for p in e.absolute_path)
        fail(what, f"schema: at /{path}: {e.message[:300]}")
    semantic_checks(what, log)
    return log


def multitool_check(multitool):
    """Runs the Multitool's validate on every log, with the default and with the GitHub rules;
    its own SARIF output is parsed, error and warning results fail."""
    if not (os.path.isfile(multitool) and os.access(multitool, os.X_OK)):
        fail("multitool", f"SARIF Multitool not found at {multitool}: run scripts/bootstrap.sh "
             "(it installs tools/package.json with npm)")
        return
    env = dict(os.environ, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT="1",
               DOTNET_CLI_TELEMETRY_OPTOUT="1")
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for i, (name, text) in enumerate(LOGS):
            path = os.path.join(tmp, f"log{i}.sarif")
            with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(text)
            files[path] = name
        for kind in (None, "Gh"):
            out = os.path.join(tmp, f"validate-{kind or 'default'}.sarif")
            args = [multitool, "validate", *files, "-o", out, "--log", "ForceOverwrite",
                    "--level", "Error;Warning"]
            if kind:
                args += ["--rule-kind", kind]
            label = f"multitool validate ({'--rule-kind ' + kind if kind else 'default rules'})"
            p = subprocess.run(args, capture_output=True, text=True, env=env, timeout=500)
            if p.returncode != 0 or not os.path.isfile(out):
                fail(label, f"exit {p.returncode}: {p.stdout.strip()[-2000:]} {p.stderr.strip()[-2000:]}")
                continue
            with open(out, encoding="utf-8-sig") as f:
                report = json.load(f)
            scanned = 0
            for run_ in report["runs"]:
                for inv in run_.get("invocations", []):
                    for n in (inv.get("toolExecutionNotifications", []) +
                              inv.get("toolConfigurationNotifications", [])):
                        if n.get("level", "warning") == "error":
                            fail(label, "tool error: " + n.get("message", {}).get("text", ""))
                    if not inv.get("executionSuccessful", False):
                        fail(label, "executionSuccessful is false")
                for art in run_.get("artifacts", []):
                    scanned += 1
                for res in run_.get("results", []):
                    level = res.get("level", "warning")
                    if level not in ("error", "warning"):
                        continue
                    uri = ""
                    for loc in res.get("locations", []):
                        uri = loc.get("physicalLocation", {}).get("artifactLocation", {}).get("uri", "")
                    log = next((n for p_, n in files.items() if uri.endswith(os.path.basename(p_))), uri)
                    msg = res.get("message", {})
                    text = msg.get("text") or f"{msg.get('id', '')} {msg.get('arguments', [])}"
                    fail(label, f"{log}: {level} {res.get('ruleId')}: {text[:400]}")
        print(f"validate_sarif: Multitool checked {len(files)} logs")


def main():
    args = sys.argv[1:]
    multitool = None
    if len(args) == 5 and args[3] == "--multitool":
        multitool = args[4]
        args = args[:3]
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    schema_path, krefcheck, src = args
    if not os.path.isfile(schema_path):
        print(f"validate_sarif: FAIL: SARIF schema not found: {schema_path}", file=sys.stderr)
        return 1
    with open(schema_path) as f:
        schema = json.load(f)
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema, format_checker=format_checker())
    demo = os.path.join(src, "testdata", "demo")
    common = ["--quiet", "--srcroot", src]

    # 1. The demo, as documented.
    p = run(krefcheck, ["-p", demo, "--format", "sarif"] + common, cwd=src)
    log = validate("demo", p.stdout, validator)
    if log is not None and not log["runs"][0]["results"]:
        fail("demo", "no results")

    with tempfile.TemporaryDirectory() as tmp:
        # 2. Baseline with a result this run does not have (absent), a suppression, and a
        #    database entry that does not parse (a toolExecutionNotification).
        base = json.loads(p.stdout)
        results = base["runs"][0]["results"]
        gone = json.loads(json.dumps(results[0]))
        gone["partialFingerprints"]["krefcheck/v2"] = "0" * 32 + ":1"
        results.append(gone)
        base_path = os.path.join(tmp, "base.sarif")
        with open(base_path, "w") as f:
            json.dump(base, f)
        supp_path = os.path.join(tmp, "supp.json")
        with open(supp_path, "w") as f:
            json.dump([{"fingerprint": results[1]["partialFingerprints"]["krefcheck/v2"],
                        "justification": "reviewed: fixed in the next series"}], f)
        with open(os.path.join(demo, "compile_commands.json")) as f:
            db = json.load(f)
        for e in db:
            e["directory"] = demo
        db.append({"directory": os.path.join(src, "testdata"),
                   "file": "broken/does_not_parse.c",
                   "arguments": ["cc", "-nostdinc", "-Iinclude", "-c", "broken/does_not_parse.c"]})
        with open(os.path.join(tmp, "compile_commands.json"), "w") as f:
            json.dump(db, f)
        p = run(krefcheck, ["-p", tmp, "--format", "sarif", "--no-prefilter", "--baseline",
                            base_path, "--suppressions", supp_path] + common, cwd=src)
        log = validate("baseline+suppressions+failure", p.stdout, validator)
        if log is not None:
            run_ = log["runs"][0]
            states = [r.get("baselineState") for r in run_["results"]]
            if "absent" not in states or "unchanged" not in states:
                fail("baseline", f"expected unchanged and absent results, got {states}")
            if not any(r.get("suppressions") for r in run_["results"]):
                fail("suppressions", "no suppressed result")
            inv = run_["invocations"][0]
            if inv["executionSuccessful"] or not inv.get("toolExecutionNotifications"):
                fail("failure", "a failed file must give executionSuccessful false and a notification")

    # 3. Every annotated case (fix suggestions) and a file that does not parse.
    cases = sorted(glob.glob(os.path.join(src, "testdata", "cases", "*.c")))
    cases.append(os.path.join(src, "testdata", "broken", "does_not_parse.c"))
    flags = ["-nostdinc", "-I", os.path.join(src, "testdata", "include"), "-std=gnu11",
             "-D__KERNEL__"]
    p = run(krefcheck, cases + ["--format", "sarif"] + common + ["--"] + flags, cwd=src)
    log = validate("cases", p.stdout, validator)
    if log is not None and not any(r.get("fixes") for r in log["runs"][0]["results"]):
        fail("cases", "no result carries a fix")

    # 4. Latin-1 bytes in a source line (comment, string), a file name, --srcroot and -o.
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, os.fsdecode(b"src\xe9"))
        os.makedirs(root)
        c_file = os.path.join(root, os.fsdecode(b"dr\xe9v.c"))
        with open(c_file, "wb") as f:
            f.write(b"#include <linux/of.h>\n#include <linux/errno.h>\n"
                    b"int f(struct device_node *parent, u32 *v)\n{\n\tstruct device_node *np;\n"
                    b"\tint ret;\n\tnp = of_get_child_by_name(parent, \"t\xe9\"); /* caf\xe9 */\n"
                    b"\tif (!np)\n\t\treturn -ENODEV;\n"
                    b"\tret = of_property_read_u32(np, \"clock\xb0\", v);\n"
                    b"\tif (ret)\n\t\t/* r\xe9s\xb0 */ return ret; /* \xf0 */\n"
                    b"\tof_node_put(np);\n\treturn 0;\n}\n")
        out = os.path.join(tmp, os.fsdecode(b"out\xe9.sarif"))
        run(krefcheck, [c_file, "--format", "sarif", "--quiet", "--srcroot", root, "-o", out,
                        "--"] + flags, cwd=tmp)
        with open(out, "rb") as f:
            raw = f.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            fail("latin-1", f"SARIF is not UTF-8: {e}")
            text = ""
        log = validate("latin-1", text, validator)
        if log is not None and len(log["runs"][0]["results"]) != 1:
            fail("latin-1", f"expected one result, got {len(log['runs'][0]['results'])}")

    # 5. A log over the 10 MB limit (2400 findings in a generated file) and a file that does
    #    not parse: the log is cut to fit, and stderr says what the notifications say.
    with tempfile.TemporaryDirectory() as tmp:
        big = os.path.join(tmp, "big.c")
        with open(big, "w") as f:
            f.write("#include <linux/of.h>\n#include <linux/errno.h>\n")
            for i in range(2400):
                f.write(f"int leaky_function_number_{i}(struct device_node *parent, u32 *v)\n"
                        "{\n\tstruct device_node *np;\n"
                        "\tnp = of_get_child_by_name(parent, \"timing\");\n"
                        "\tif (!np)\n\t\treturn -ENODEV;\n"
                        "\tif (of_property_read_u32(np, \"clock-frequency\", v))\n"
                        "\t\treturn -EINVAL;\n\tof_node_put(np);\n\treturn 0;\n}\n")
        broken = os.path.join(src, "testdata", "broken", "does_not_parse.c")
        p = run(krefcheck, [big, broken, "--format", "sarif", "-j", "2", "--srcroot", tmp, "--"]
                + flags, cwd=tmp)
        if len(p.stdout.encode()) > 10_000_000:
            fail("10 MB", f"log is {len(p.stdout.encode())} bytes")
        log = validate("10 MB", p.stdout, validator)
        if log is not None:
            run_ = log["runs"][0]
            inv = run_["invocations"][0]
            kept = len(run_["results"])
            cut = [n["message"]["text"] for n in inv["toolExecutionNotifications"]
                   if n["descriptor"]["id"] == "krefcheck-output-truncated"]
            failed = [n["message"]["text"] for n in inv["toolExecutionNotifications"]
                      if n["descriptor"]["id"] == "krefcheck-analysis-failed"]
            want = (f"output truncated: {kept} of 2400 results kept to stay within the GitHub "
                    f"code scanning limits (25000 results, 10000000 bytes); the other "
                    f"{2400 - kept} are left out (run with --format text to see them all).")
            if not 0 < kept < 2400 or cut != [want]:
                fail("10 MB", f"{kept} results kept, truncation notifications {cut}")
            err = p.stderr.splitlines()
            if f"krefcheck: warning: SARIF log: {want}" not in err:
                fail("10 MB", f"stderr does not say what the log says was cut: {err}")
            if inv["executionSuccessful"] or len(failed) != 1 or \
                    not any(l.startswith("krefcheck: error: ") and "does_not_parse.c" in l
                            for l in err):
                fail("10 MB", f"one failed file: executionSuccessful "
                     f"{inv['executionSuccessful']}, notifications {failed}, stderr {err}")
            if "2 files: 1 analysed, 0 skipped (nothing to analyse), 1 failed; 2400 findings" \
                    not in p.stderr:
                fail("10 MB", f"summary line: {err}")

    if multitool is not None:
        multitool_check(multitool)

    if FAILURES:
        for f in FAILURES:
            print("validate_sarif: FAIL: " + f, file=sys.stderr)
        return 1
    print(f"validate_sarif: OK (schema {schema_path}, jsonschema {jsonschema.__name__})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
