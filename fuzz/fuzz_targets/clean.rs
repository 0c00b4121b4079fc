//! Cleans generated text with a generated rule set (and maybe the default
//! packs) and checks every promise of the pipeline: no panic, edits rebuild
//! the output, protected spans untouched, idempotence. An input that
//! starts with `text:` is plain text, cleaned with the fixture and default
//! packs (the seeds in `fuzz/seeds/clean/` are such files).

#![no_main]

use std::sync::LazyLock;

use arbitrary::{Arbitrary, Unstructured};
use copydesk::Pipeline;
use copydesk_fuzz::{check, fixture_pipeline, render, PackGen, Piece, TEXT_SEED};
use libfuzzer_sys::{fuzz_target, Corpus};

static FIXTURE: LazyLock<Pipeline> = LazyLock::new(fixture_pipeline);

#[derive(Arbitrary, Debug)]
struct Input {
    pack: PackGen,
    text: Vec<Piece>,
}

fuzz_target!(|data: &[u8]| -> Corpus {
    if let Some(text) = data.strip_prefix(TEXT_SEED) {
        let Ok(text) = std::str::from_utf8(text) else {
            return Corpus::Reject;
        };
        check(&FIXTURE, text);
        return Corpus::Keep;
    }
    let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(data)) else {
        return Corpus::Reject;
    };
    let Some(pipeline) = input.pack.pipeline() else {
        return Corpus::Reject;
    };
    let text = render(&input.text);
    input.pack.debug(&text);
    check(&pipeline, &text);
    Corpus::Keep
});
