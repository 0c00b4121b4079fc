#!/usr/bin/env python3
"""In-process timings for bench/run's Python group (G): run by an
interpreter that has the copydesk package (and ftfy, when installed).

Usage: python-inproc.py RECORDS.jsonl RUNS [--ftfy]

Reads the records' "text" fields, then prints one JSON object: median
wall and CPU seconds ([wall, cpu]) of Cleaner() (loading the default packs), of clean_many over every
text (all cores), of the same texts one clean() at a time, of ftfy.fix_text
over every text (with --ftfy), and how many texts each changed.
"""
import json
import statistics
import sys
import time


def median_time(fn, runs):
    """Median wall and CPU seconds (every thread of the process) of fn()."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return (statistics.median(walls), statistics.median(cpus)), result


def main():
    path, runs = sys.argv[1], int(sys.argv[2])
    with open(path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f]
    import copydesk

    out = {"texts": len(texts), "chars": sum(map(len, texts))}
    out["load"], cleaner = median_time(copydesk.Cleaner, runs)
    out["clean_many"], results = median_time(lambda: cleaner.clean_many(texts), runs)
    out["clean_many_changed"] = sum(r.changed for r in results)
    out["clean_loop"], results = median_time(lambda: [cleaner.clean(t) for t in texts], 1)
    if "--ftfy" in sys.argv:
        import ftfy

        out["ftfy"], fixed = median_time(lambda: [ftfy.fix_text(t) for t in texts], 1)
        out["ftfy_changed"] = sum(a != b for a, b in zip(texts, fixed))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
