"""copydesk as a stage of an Apache Spark job, through RDD.pipe.

Usage: python3 tests/spark/pipe_test.py COPYDESK PACK

Runs PySpark in local mode (2 threads, 4 partitions) over a small corpus of
JSON lines, pipes every partition through `copydesk clean --jsonl text
--keep-going`, and checks what a Spark user relies on: one record out per
record in, in order within and across partitions, every other byte of a
record kept, bad records passed through unchanged (the task does not fail,
even with checkCode=True), and the cleaning itself. Prints
"N passed, 0 failed" on success; exits 1 with the first failure.
Exits 0 with a note when PySpark or Java is missing (the caller skips).
"""
import json
import os
import shutil
import sys


def main():
    copydesk, pack = sys.argv[1], sys.argv[2]
    try:
        from pyspark import SparkConf, SparkContext
    except ImportError:
        print("skip: pyspark is not installed")
        return 0
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        print("skip: java is not installed")
        return 0

    records = []
    for i in range(400):
        if i % 97 == 13:
            records.append("not json {")  # a bad record
        elif i % 5 == 0:
            records.append(json.dumps({"id": i, "text": f"Record {i} broke global law.", "n": [1, 2]}))
        else:
            records.append(json.dumps({"text": f"clean text {i}", "id": i}))
    expected = [
        r.replace("global law", "international law") for r in records
    ]

    conf = (SparkConf().setMaster("local[2]").setAppName("copydesk-pipe-test")
            .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1"))
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    checks = 0
    try:
        command = [copydesk, "clean", "--jsonl", "text", "--keep-going",
                   "--no-default-rules", "--rules", pack]
        rdd = sc.parallelize(records, 4)
        out = rdd.pipe(" ".join(command), checkCode=True).collect()
        assert len(out) == len(records), f"{len(out)} records out for {len(records)} in"
        checks += 1
        for i, (got, want) in enumerate(zip(out, expected)):
            assert got == want, f"record {i}: {got!r} != {want!r}"
        checks += 1
        bad = [o for o in out if o == "not json {"]
        assert len(bad) == sum(1 for r in records if r == "not json {"), "bad records pass through"
        checks += 1
        changed = sum(1 for o in out if "international law" in o)
        want = sum(1 for r in records if "global law" in r)
        assert changed == want > 0, f"{changed} records cleaned, expected {want}"
        checks += 1
        # A per-partition order check: zipWithIndex keeps the input order.
        indexed = rdd.pipe(" ".join(command)).zipWithIndex().collect()
        assert [i for _, i in indexed] == list(range(len(records)))
        checks += 1
    finally:
        sc.stop()
    print(f"{checks} passed, 0 failed")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        print(f"FAILED: {e}")
        sys.exit(1)
