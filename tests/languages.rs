//! Every language's sound text left alone: the typography profiles of
//! `src/locale/profiles.yaml` in the unicode, spacing, quotes and dashes
//! passes (#16), on the examples and on real sentences from the
//! shared corpus's `multilingual-news`.

#![allow(clippy::print_stderr)]

mod common;

use copydesk::Options;

/// The output of the passes alone (no rule packs) with default options.
fn clean(text: &str) -> String {
    common::pipeline(Options::default())
        .run(text)
        .output
        .into_owned()
}

/// The output with the pass options `pairs` set.
fn clean_with(pairs: &[&str], text: &str) -> String {
    common::pipeline_with(pairs, &[])
        .run(text)
        .output
        .into_owned()
}

#[test]
fn french_no_break_spaces_before_punctuation_stay() {
    let t = "Vraiment\u{a0}? Oui\u{202f}; non\n";
    assert_eq!(clean(t), t);
}

#[test]
fn guillemets_keep_their_inner_no_break_spaces() {
    let t =
        "Il a dit\u{a0}: \u{ab}\u{202f}Bonjour\u{202f}\u{bb} et \u{ab}\u{a0}adieu\u{a0}\u{bb}.\n";
    assert_eq!(clean(t), t);
}

#[test]
fn nepali_keeps_the_narrow_space_before_the_danda() {
    let t = "काठमाडौंमा आज बिहान भूकम्प गयो\u{202f}। सबै सुरक्षित छन्\u{a0}॥\n";
    assert_eq!(clean(t), t);
}

#[test]
fn numbers_keep_their_units_and_stray_spaces_go() {
    assert_eq!(
        clean("It ran 10\u{a0}km, up 5\u{a0}% to 3\u{a0}\u{20ac}.\n"),
        "It ran 10\u{a0}km, up 5\u{a0}% to 3\u{a0}\u{20ac}.\n"
    );
    assert_eq!(clean("a\u{a0}stray\u{202f}space\n"), "a stray space\n");
    assert_eq!(clean("10\u{a0}000 people\n"), "10 000 people\n");
}

#[test]
fn zero_width_spaces_between_thai_khmer_lao_and_myanmar_words_stay() {
    for t in [
        "ประเทศไทย\u{200b}มี\u{200b}ฝน\u{200b}ตก\u{200b}หนัก\n",
        "ព័ត៌មាន\u{200b}ថ្មី\u{200b}ពី\u{200b}ភ្នំពេញ\n",
        "ຂ່າວ\u{200b}ໃໝ່\n",
        "မြန်မာ\u{200b}သတင်း\n",
    ] {
        assert_eq!(clean(t), t);
    }
    // Between Latin words it is still debris.
    assert_eq!(clean("zero\u{200b}width\n"), "zerowidth\n");
}

#[test]
fn french_keeps_plain_spaces_before_punctuation() {
    let t = "Le gouvernement a-t-il vraiment décidé de tout changer ? Personne ne le sait ; \
             les ministres se taisent : rien n'est sûr !\n";
    assert_eq!(clean(t), t);
    // In English the stray space still goes.
    assert_eq!(
        clean("Has the government really decided to change everything ? Nobody knows.\n"),
        "Has the government really decided to change everything? Nobody knows.\n"
    );
}

#[test]
fn forced_language_overrides_detection() {
    // Too short to detect: English, so the plain space goes; as French
    // it stays.
    assert_eq!(clean("Oui ? Non\n"), "Oui? Non\n");
    let mut options = Options::default();
    options.settings.locale.lang = Some("fr".into());
    let p = common::pipeline(options);
    assert_eq!(p.run("Oui ? Non\n").output, "Oui ? Non\n");
    let _ = clean_with;
}

/// A German paragraph long enough for the detector, around `middle`.
fn german(middle: &str) -> String {
    format!(
        "Die Bundesregierung hat am Mittwoch beschlossen{middle}dass die Förderung für \
         Wärmepumpen im nächsten Jahr deutlich erhöht wird.\n"
    )
}

#[test]
fn german_gets_spaced_en_dashes_not_em_dashes() {
    assert_eq!(
        clean(&german(" - wie erwartet - ")),
        german(" \u{2013} wie erwartet \u{2013} ")
    );
    // A document with dashes of its own keeps to them.
    assert_eq!(
        clean(&german(" \u{2014} wie erwartet - ")),
        german(" \u{2014} wie erwartet \u{2014} ")
    );
    // dashes.style chosen by the user wins.
    assert_eq!(
        clean_with(&["dashes.style=em"], &german(" - wie erwartet - ")),
        german("\u{2014}wie erwartet\u{2014}")
    );
}

#[test]
fn german_quotes_are_repaired_to_low_nine_not_english() {
    for broken in [
        "\"Hallo\u{201c}",
        "\u{201c}Hallo\u{201c}",
        "\u{201e}Hallo\u{201d}",
    ] {
        assert_eq!(
            clean(&german(&format!(", {broken} sagte er, "))),
            german(", \u{201e}Hallo\u{201c} sagte er, ")
        );
    }
    // Sound German is left alone, straight quotes included.
    for sound in [
        ", \u{201e}Hallo\u{201c} sagte er, ",
        ", \"Hallo\" sagte er, ",
    ] {
        assert_eq!(clean(&german(sound)), german(sound));
    }
}
