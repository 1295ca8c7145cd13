#!/usr/bin/env python3
"""Checks rules/schema.json (the JSON Schema of the rules format) against krefcheck's loader.

usage: validate_rules_schema.py SCHEMA KREFCHECK SOURCE_DIR

- The schema is a valid draft 2020-12 schema.
- Every rules file of the repository (rules/*.json, testdata/**/*.json with rules keys,
  fuzz/corpus/rules/*.json, tests/badinput/rules/*.json) gets the same verdict from the schema
  and from the loader (`krefcheck --rules-dir DIR` with the file alone in DIR): both accept it
  or both reject it. The only exception is a rejection the schema cannot express (a name
  defined twice, an argument described twice, a family no file defines): KNOWN_SEMANTIC.
- The shipped rules and testdata/custom/acme_ref.json are accepted, and name the schema in
  "$schema" (a path that leads to rules/schema.json).
- At least a dozen known-bad files are rejected by both.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

import jsonschema

RULES_KEYS = {"families", "functions", "cleanups", "error_checks", "release_callbacks",
              "cleanup_macros", "iterator_macros", "export_macros"}
# Rejected by the loader for a reason a JSON Schema cannot state (file: why).
KNOWN_SEMANTIC = {
    "tests/badinput/rules/arg-twice.json": "an argument index described twice",
    "tests/badinput/rules/duplicate-shipped-function.json":
        "alone: a family no file defines (with the shipped rules: a function defined twice)",
    "tests/badinput/rules/family-defined-twice.json": "a family defined twice",
    "tests/badinput/rules/unknown-family.json": "a family no file defines",
    "fuzz/corpus/rules/unknown_family.json": "a family no file defines",
}
FAILURES = []


def fail(what, msg):
    FAILURES.append(f"{what}: {msg}")


def schema_verdict(validator, path):
    """(accepted, reason)."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = data.decode("utf-8")
        if "\0" in text:
            return False, "contains a NUL byte"

        def no_constant(name):
            raise ValueError(f"not JSON: {name}")

        doc = json.loads(text, parse_constant=no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        return False, f"not JSON: {e}"
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        return False, f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
    return True, ""


def loader_verdict(krefcheck, src, path, work):
    """(accepted, reason): krefcheck with PATH as the only file of its rules directory."""
    d = tempfile.mkdtemp(dir=work)
    copy = os.path.join(d, os.path.basename(path))
    shutil.copyfile(path, copy)
    ok_c = os.path.join(src, "tests", "badinput", "ok.c")
    p = subprocess.run([krefcheck, "--rules-dir", d, "-q", ok_c, "--", "-c"],
                       cwd=work, capture_output=True, text=True, errors="replace")
    errors = [l for l in p.stderr.splitlines() if l.startswith("krefcheck: error:")]
    if p.returncode == 0 and not errors:
        return True, ""
    if p.returncode != 2 or len(errors) != 1 or copy not in errors[0]:
        fail(path, f"loader: exit {p.returncode}, expected 2 and one error line naming "
                   f"{copy}; stderr: {p.stderr.strip()[:400]}")
    return False, errors[0] if errors else p.stderr.strip()


def rules_files(src):
    files = [f for f in sorted(glob.glob(os.path.join(src, "rules", "*.json")))
             if os.path.basename(f) != "schema.json"]
    for f in sorted(glob.glob(os.path.join(src, "testdata", "**", "*.json"), recursive=True)):
        try:
            with open(f, encoding="utf-8") as h:
                doc = json.load(h)
        except ValueError:
            continue
        if isinstance(doc, dict) and RULES_KEYS & doc.keys():
            files.append(f)
    files += sorted(glob.glob(os.path.join(src, "fuzz", "corpus", "rules", "*.json")))
    files += sorted(glob.glob(os.path.join(src, "tests", "badinput", "rules", "*.json")))
    return files


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    schema_path, krefcheck, src = sys.argv[1:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    must_accept = [os.path.join(src, "testdata", "custom", "acme_ref.json")] + [
        f for f in glob.glob(os.path.join(src, "rules", "*.json"))
        if os.path.basename(f) != "schema.json"]
    both_rejected = 0
    with tempfile.TemporaryDirectory() as work:
        files = rules_files(src)
        for path in files:
            rel = os.path.relpath(path, src)
            s_ok, s_why = schema_verdict(validator, path)
            l_ok, l_why = loader_verdict(krefcheck, src, path, work)
            if rel in KNOWN_SEMANTIC:
                if not s_ok:
                    fail(rel, f"listed as beyond the schema, but the schema rejects it: {s_why}")
                if l_ok:
                    fail(rel, "listed as rejected by the loader, but the loader accepts it")
            elif s_ok != l_ok:
                fail(rel, f"schema {'accepts' if s_ok else 'rejects (' + s_why + ')'} but "
                          f"loader {'accepts' if l_ok else 'rejects (' + l_why + ')'}")
            elif not s_ok:
                both_rejected += 1
            if path in must_accept and not (s_ok and l_ok):
                fail(rel, f"a shipped rules file must be accepted: {s_why or l_why}")
        print(f"{len(files)} rules files checked; {both_rejected} rejected by both the schema "
              f"and the loader, {len(KNOWN_SEMANTIC)} by the loader only (KNOWN_SEMANTIC)")
        # The shipped rules load together, too (a name defined in two files).
        p = subprocess.run([krefcheck, "--rules-dir", os.path.join(src, "rules"), "-q",
                            os.path.join(src, "tests", "badinput", "ok.c"), "--", "-c"],
                           cwd=work, capture_output=True, text=True)
        if p.returncode != 0:
            fail("rules/", f"the shipped rules do not load together: {p.stderr.strip()}")
    if both_rejected < 12:
        fail("known-bad files", f"only {both_rejected} rejected by both (expected >= 12)")
    for path in must_accept:
        with open(path, encoding="utf-8") as f:
            ref = json.load(f).get("$schema")
        target = os.path.join(os.path.dirname(path), ref) if isinstance(ref, str) else ""
        if not ref or os.path.realpath(target) != os.path.realpath(schema_path):
            fail(os.path.relpath(path, src), f'"$schema" is {ref!r}, not a path to {schema_path}')
    for f in FAILURES:
        print("FAIL " + f)
    if FAILURES:
        sys.exit(1)
    print("rules schema: OK")


if __name__ == "__main__":
    main()
