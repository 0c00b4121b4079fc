//! The cost of the automaton alone: read `typo<TAB>fix` rules, build one
//! leftmost-longest Aho-Corasick automaton, `replace_all` over the input,
//! write the result. No folding, no word boundaries, no case transfer, no
//! report: the floor any phrase replacer pays.
//!
//! Usage: bare-ac RULES.tsv INPUT > OUTPUT (prints the match count on
//! stderr).

use std::io::Write;

use aho_corasick::{AhoCorasick, MatchKind};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: bare-ac RULES.tsv INPUT > OUTPUT");
        std::process::exit(2);
    }
    let rules = std::fs::read_to_string(&args[1]).expect("read rules");
    let (mut finds, mut replaces) = (Vec::new(), Vec::new());
    for line in rules.lines() {
        if let Some((find, replace)) = line.split_once('\t') {
            finds.push(find);
            replaces.push(replace);
        }
    }
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&finds)
        .expect("automaton builds");
    let input = std::fs::read_to_string(&args[2]).expect("read input");
    let mut count = 0usize;
    let mut out = String::with_capacity(input.len());
    ac.replace_all_with(&input, &mut out, |m, _, dst| {
        count += 1;
        dst.push_str(replaces[m.pattern().as_usize()]);
        true
    });
    std::io::stdout()
        .lock()
        .write_all(out.as_bytes())
        .expect("write output");
    eprintln!("{count} replacements");
}
