#!/usr/bin/env python3
"""Converts codespell's dictionary into a copydesk rule pack for benchmarks.

Usage: make-pack.py DICTIONARY.txt OUT.yaml [LIMIT]

Unambiguous entries (`typo->fix`) become `fix` rules; entries with several
candidates or a trailing comma are skipped (copydesk never auto-fixes them).
Entries whose correction is itself a typo of another entry, or whose typo is
another entry's correction, are dropped so that the pack has no cycles. The
pack is written to OUT (outside the repository: codespell's list is
CC BY-SA 3.0 and is not committed).
"""
import json
import re
import sys


def main():
    src, out = sys.argv[1], sys.argv[2]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
    pairs = {}
    for line in open(src, encoding="utf-8"):
        line = line.rstrip("\n")
        if "->" not in line:
            continue
        typo, fix = line.split("->", 1)
        if "," in fix or not typo.strip() or not fix.strip():
            continue
        typo, fix = typo.strip(), fix.strip()
        # Smart case: keep lowercase finds so they match any case. A typo
        # that starts or ends with punctuation (`doesn'`) would match inside
        # its own correction (`doesn't`): skip it.
        if typo != typo.lower() or not (typo[0].isalnum() and typo[-1].isalnum()):
            continue
        pairs[typo] = fix
    fixes = {f.lower() for f in pairs.values()}
    rules = []
    for typo, fix in pairs.items():
        if typo in fixes or any(w in pairs for w in re.split(r"[^\w]+", fix.lower())):
            continue
        rules.append((typo, fix))
        if limit and len(rules) >= limit:
            break
    with open(out, "w", encoding="utf-8") as f:
        f.write("pack: codespell-bench\nrules:\n")
        for i, (typo, fix) in enumerate(rules):
            f.write(f"  - id: cs{i}\n    find: {json.dumps(typo)}\n    replace: {json.dumps(fix)}\n")
    print(f"{len(rules)} rules written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
