"""copydesk in the tools data teams use: pandas, PySpark, Hugging Face
datasets. Each is skipped when its library is not installed."""

import os
import shutil
import sys

import pytest

import copydesk
from conftest import bbc_texts

TEXTS = [
    f"Report {i} says the strike violated global law." if i % 4 == 0 else f"Plain  text {i}."
    for i in range(200)
]


def expected(texts):
    cleaner = copydesk.Cleaner()
    return [cleaner.clean(t).text for t in texts]


def test_pandas_map_and_clean_many_agree(corpus):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"text": TEXTS + bbc_texts(corpus, 200)})
    cleaner = copydesk.Cleaner()
    mapped = df["text"].map(lambda t: cleaner.clean(t).text)
    df["clean"] = [r.text for r in cleaner.clean_many(df["text"])]
    assert df["clean"].tolist() == mapped.tolist()
    assert df["clean"][0] == "Report 0 says the strike violated international law."
    df["score"] = df["text"].map(cleaner.score)
    assert (df["score"] > 0).sum() == 50


def test_spark_map_in_pandas():
    pytest.importorskip("pyspark")
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        pytest.skip("java is not installed")
    from pyspark.sql import SparkSession

    # The workers must be this interpreter, which has copydesk.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("copydesk-python-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        df = spark.createDataFrame([(i, t) for i, t in enumerate(TEXTS)], "id long, text string")

        def clean_partitions(batches):
            import copydesk

            cleaner = copydesk.Cleaner()  # once per task, not per row
            for pdf in batches:
                results = cleaner.clean_many(pdf["text"])
                pdf["text"] = [r.text for r in results]
                pdf["edits"] = [len(r.edits) for r in results]
                yield pdf

        out = (
            df.repartition(4)
            .mapInPandas(clean_partitions, "id long, text string, edits long")
            .orderBy("id")
            .collect()
        )
        assert [r.id for r in out] == list(range(len(TEXTS)))
        assert [r.text for r in out] == expected(TEXTS)
        assert sum(r.edits for r in out) > 0
    finally:
        spark.stop()


def test_datasets_map_batched():
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_dict({"id": list(range(len(TEXTS))), "text": TEXTS})
    cleaner = copydesk.Cleaner()

    def clean_batch(batch):
        results = cleaner.clean_many(batch["text"])
        return {
            "text": [r.text for r in results],
            "changed": [r.changed for r in results],
        }

    out = ds.map(clean_batch, batched=True, batch_size=64)
    assert out["id"] == list(range(len(TEXTS)))
    assert out["text"] == expected(TEXTS)
    assert sum(out["changed"]) == len(TEXTS)
