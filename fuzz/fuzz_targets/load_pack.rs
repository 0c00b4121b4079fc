//! Any text as a rule pack: the loader answers with errors or a rule set,
//! never a panic or a hang. A pack that loads is then run over its own
//! examples, which must keep the pipeline's promises too.

#![no_main]

use std::sync::Arc;

use copydesk::rules::load::Loader;
use copydesk::{Options, Pipeline};
use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|data: &[u8]| -> Corpus {
    let Ok(text) = std::str::from_utf8(data) else {
        return Corpus::Reject;
    };
    let mut loader = Loader::new();
    loader.add_source("fuzz.yaml", text);
    let set = match loader.build() {
        Ok(set) => set,
        Err(errors) => {
            // Every error is one line naming the pack.
            for e in &errors.0 {
                let line = e.to_string();
                assert!(line.starts_with("fuzz.yaml"), "{line}");
            }
            return Corpus::Keep;
        }
    };
    let samples: Vec<String> = set
        .rules
        .iter()
        .flat_map(|r| &r.examples)
        .flat_map(|e| [&e.before, &e.after, &e.keep])
        .flatten()
        .cloned()
        .collect();
    let pipeline = Pipeline::new(Arc::new(set), Options::default());
    for s in &samples {
        copydesk_fuzz::check(&pipeline, s);
    }
    Corpus::Keep
});
