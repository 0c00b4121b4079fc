#!/usr/bin/env python3
"""Builds a benchmark corpus of real news from ../shared/corpus.

Usage: make-corpus.py OUT.txt MEGABYTES [SEED]

Concatenates the BBC articles and the article-extraction-benchmark ground
truth (repeated to reach the size) and plants a few misspellings from
codespell's list, so that every tool has work to do. The output stays
outside the repository (the texts belong to their publishers).
"""
import glob
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# $COPYDESK_CORPUS overrides where the shared corpus is (as for bench/run).
CORPUS = os.environ.get("COPYDESK_CORPUS") or os.path.join(HERE, "..", "..", "shared", "corpus")


def articles():
    for path in sorted(glob.glob(os.path.join(CORPUS, "bbc-news", "*", "*.txt"))):
        try:
            yield open(path, encoding="utf-8").read()
        except UnicodeDecodeError:
            continue
    truth = json.load(open(os.path.join(CORPUS, "article-extraction-benchmark", "ground-truth.json")))
    for item in truth.values():
        yield item["articleBody"]


def main():
    out, megabytes = sys.argv[1], float(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
    typos = []
    for line in open(os.path.join(CORPUS, "codespell-dict", "dictionary.txt"), encoding="utf-8"):
        typo, _, fix = line.strip().partition("->")
        if fix and "," not in fix and typo.islower() and fix.isalpha():
            typos.append((fix, typo))
    by_word = dict(typos)
    texts = list(articles())
    target = int(megabytes * 1024 * 1024)
    written = 0
    with open(out, "w", encoding="utf-8") as f:
        while written < target:
            for text in texts:
                words = text.split(" ")
                for i in range(0, len(words), 97):
                    w = words[i]
                    if w in by_word and rng.random() < 0.5:
                        words[i] = by_word[w]
                chunk = " ".join(words) + "\n\n"
                f.write(chunk)
                written += len(chunk.encode("utf-8"))
                if written >= target:
                    break
    print(f"{written} bytes written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
