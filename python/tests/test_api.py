"""The module's API: clean, check, score, Cleaner, errors, offsets."""

import threading
import time

import pytest

import copydesk
from conftest import bbc_texts

SPUN = "The strike violated global law, experts said."


def apply(text, edits):
    """The input with the applied edits applied, by code point offsets."""
    out, pos = [], 0
    for e in sorted((e for e in edits if e.applied), key=lambda e: (e.start, e.end)):
        out.append(text[pos:e.start])
        out.append(e.after if e.after is not None else e.before)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def test_clean_returns_text_changed_and_edits():
    result = copydesk.clean(SPUN)
    assert result.text == "The strike violated international law, experts said."
    assert result.changed is True
    (edit,) = result.edits
    assert (edit.rule, edit.level, edit.start, edit.end) == ("global-law", "fix", 20, 30)
    assert (edit.before, edit.after, edit.applied) == ("global law", "international law", True)
    assert "international" in edit.message
    assert isinstance(result.edits, list) and result.edits == result.edits


def test_unchanged_text_is_the_input_object():
    text = "Nothing to do here."
    result = copydesk.clean(text)
    assert result.changed is False and result.edits == []
    assert result.text is text


def test_check_reports_suggestions_without_applying_them():
    text = "Officials met when the arrive was announced."
    edits = copydesk.check(text)
    levels = {e.level for e in edits}
    assert levels <= {"fix", "suggest", "flag"}
    suggestions = [e for e in edits if e.level == "suggest"]
    assert suggestions and not any(e.applied for e in suggestions)
    assert copydesk.clean(text).text == text


def test_apply_suggestions_applies_them(pack):
    text = "A slow hare won."
    assert copydesk.clean(text, rules=pack).text == text
    applied = copydesk.clean(text, rules=pack, apply_suggestions=True)
    assert applied.text == "A steady hare won."
    assert [e.level for e in applied.edits if e.rule == "house-hare"] == ["suggest"]


def test_offsets_count_code_points_and_round_trip():
    text = "Caf\u00e9 \u201cglobal law\u201d \U0001F600  na\u00efve global law\u00a0here."
    result = copydesk.clean(text)
    assert len(result.edits) >= 3
    for e in result.edits:
        assert text[e.start:e.end] == e.before, e
    assert apply(text, result.edits) == result.text
    # After the emoji (4 bytes, 1 code point), offsets are in characters.
    last = [e for e in result.edits if e.rule == "global-law"][-1]
    assert text[last.start:].startswith("global law\u00a0here")


def test_offsets_round_trip_on_the_corpus(corpus):
    texts = bbc_texts(corpus, 300)
    texts += [p.read_text(encoding="utf-8") for p in sorted((corpus / "multilingual-news").glob("*.txt"))]
    cleaner = copydesk.Cleaner(apply_suggestions=True)
    edits = 0
    for text, result in zip(texts, cleaner.clean_many(texts)):
        for e in result.edits:
            assert text[e.start:e.end] == e.before
        assert apply(text, result.edits) == result.text
        edits += len(result.edits)
    assert edits > 100


def test_score_counts_spinner_hits_per_thousand_words():
    assert copydesk.score(SPUN) == pytest.approx(1000 / 7)
    assert copydesk.score("The strike violated international law.") == 0.0
    assert copydesk.score("") == 0.0


def test_cleaner_with_own_pack_and_no_default_rules(pack):
    cleaner = copydesk.Cleaner(rules=[pack], default_rules=False)
    assert set(cleaner.rule_ids()) == {"house-fox", "house-hare"}
    # Double spaces are a pass's, not a pack's: passes still run; the
    # default packs' rules do not.
    assert cleaner.clean("quick fox, global law  now").text == "swift fox, global law now"
    both = copydesk.Cleaner(rules=str(pack))
    assert both.clean("quick fox, global law").text == "swift fox, international law"


def test_config_file(tmp_path, pack):
    config = tmp_path / ".copydesk.yaml"
    config.write_text(
        "default-packs: none\nrules: [house.yaml]\ndisable: [double-space]\n"
        "set: {quotes.style: straight}\n",
        encoding="utf-8",
    )
    text = "He said \u201cquick fox, global law\u201d  twice."
    want = 'He said "swift fox, global law"  twice.'
    assert copydesk.clean(text, config=config).text == want
    assert copydesk.Cleaner(config=config).clean(text).text == want


def test_options_and_disable():
    text = "He said \u201cyes\u201d  twice."
    straight = copydesk.Cleaner(options={"quotes.style": "straight"}, disable=["double-space"])
    assert straight.clean(text).text == 'He said "yes"  twice.'
    plain = copydesk.Cleaner(options={"passes.normalise": False}, default_rules=False)
    assert plain.clean(text).text == text


@pytest.mark.parametrize(
    "options",
    [{"quotes.style": "bogus"}, {"no.such": "x"}, {"quotes.style": 3}, {1: "x"}],
)
def test_bad_options_raise_value_error(options):
    with pytest.raises(ValueError):
        copydesk.Cleaner(options=options)


def test_lang():
    assert copydesk.clean(SPUN, lang="en").changed
    assert copydesk.Cleaner(lang="en-GB").clean(SPUN).changed
    # Too short to detect: English typography drops the space before "?",
    # French keeps it.
    french = "Vraiment ? Oui.\n"
    assert copydesk.clean(french).text == "Vraiment? Oui.\n"
    assert not copydesk.clean(french, lang="fr").changed
    assert not copydesk.Cleaner(lang="fr-CA").clean(french).changed
    with pytest.raises(ValueError, match="language tag"):
        copydesk.clean(SPUN, lang="French!")
    with pytest.raises(ValueError):
        copydesk.Cleaner(lang="")
    # A well-formed tag that names no language is refused as the command
    # line refuses it, with the code meant.
    with pytest.raises(ValueError, match="did you mean `fr`"):
        copydesk.Cleaner(lang="fre")
    with pytest.raises(ValueError, match="unknown language `zz`"):
        copydesk.clean(SPUN, lang="zz")


def test_rule_pack_error_names_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: bad\nrules:\n  - id: x\n    find: a\n    replace: b\n    bogus: 1\n")
    with pytest.raises(copydesk.RulePackError) as info:
        copydesk.Cleaner(rules=bad)
    err = info.value
    assert err.path == str(bad)
    assert (err.line, err.column) == (6, 5)
    assert "bogus" in str(err)
    assert err.errors and err.errors[0][:3] == (str(bad), 6, 5)
    assert not isinstance(err, ValueError)


def test_rule_pack_error_for_a_missing_file_and_every_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: [")
    with pytest.raises(copydesk.RulePackError) as info:
        copydesk.clean("x", rules=[tmp_path / "missing.yaml", bad])
    err = info.value
    assert err.path == str(tmp_path / "missing.yaml") and err.line is None
    assert [e[0] for e in err.errors] == [str(tmp_path / "missing.yaml"), str(bad)]
    assert len(str(err).splitlines()) == 2


def test_clean_many_in_order_and_equal_to_clean():
    cleaner = copydesk.Cleaner()
    texts = [f"Item {i}: global law" if i % 3 == 0 else f"Item {i}" for i in range(500)]
    one = [cleaner.clean(t) for t in texts]
    for threads in (None, 1, 2):
        many = cleaner.clean_many(iter(texts), threads=threads)
        assert [r.text for r in many] == [r.text for r in one]
        assert [r.edits for r in many] == [r.edits for r in one]
    assert cleaner.clean_many([]) == []


def test_clean_many_rejects_bad_input():
    cleaner = copydesk.Cleaner()
    with pytest.raises(TypeError, match="str"):
        cleaner.clean_many(["ok", b"bytes"])
    with pytest.raises(ValueError):
        cleaner.clean_many(["ok"], threads=0)
    with pytest.raises(TypeError):
        cleaner.clean_many(5)


def test_clean_many_releases_the_gil():
    """Another Python thread keeps running while clean_many works: the
    longest pause between its ticks is a fraction of the call."""
    cleaner = copydesk.Cleaner()
    texts = [SPUN * 20] * 4
    while True:  # a workload of at least 0.1 s, in debug and release builds
        start = time.perf_counter()
        cleaner.clean_many(texts, threads=1)
        if time.perf_counter() - start > 0.1:
            break
        texts *= 2
    ticks, done = [], threading.Event()

    def work():
        start = time.perf_counter()
        cleaner.clean_many(texts, threads=1)
        ticks.append(("call", time.perf_counter() - start))
        done.set()

    worker = threading.Thread(target=work)
    times = [time.perf_counter()]
    worker.start()
    while not done.is_set():
        times.append(time.perf_counter())
    worker.join()
    call = ticks[0][1]
    longest = max(b - a for a, b in zip(times, times[1:]))
    assert call > 0.05, "the workload is too small to tell"
    assert longest < call / 2, (longest, call)


def test_one_cleaner_from_many_python_threads():
    from concurrent.futures import ThreadPoolExecutor

    cleaner = copydesk.Cleaner()
    texts = [f"Text {i} broke global law." for i in range(200)]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda t: cleaner.clean(t).text, texts))
    assert got == [t.replace("global law", "international law") for t in texts]


def test_reprs_and_version():
    result = copydesk.clean(SPUN)
    assert repr(result).startswith("Result(changed=True, edits=1, text='The strike")
    assert repr(result.edits[0]).startswith("Edit(rule='global-law', level='fix', start=20")
    assert copydesk.__version__.count(".") == 2


def test_module_docstring_examples():
    import doctest

    assert doctest.testmod(copydesk, raise_on_error=True).attempted >= 3
