//! `copydesk clean -i`: review each change in the terminal, as `git add -p`
//! reviews hunks, then write each file with the changes accepted.
//!
//! Every proposed change (fixes and suggestions; flags propose nothing) is
//! shown with its line, the old text marked `[-…-]` and the new `{+…+}` (in
//! colour on a terminal), its rule, level and reason, and a question:
//! `y` apply, `n` skip, `a` apply this and the rest of the file's fixes
//! (a suggestion after it is still shown and asked), `d` skip the rest of
//! the file, `q` quit, `e` type the replacement. Answers are
//! lines read from standard input, which must be a terminal. The dialogue
//! goes to standard error, as `rm -i` asks its questions there.
//!
//! A file is written (atomically) as soon as its last question is answered,
//! so quitting keeps the files already reviewed and the changes accepted so
//! far in the current one; files after it are left alone.

use std::io::{self, BufRead, IsTerminal, Write};
use std::ops::Range;

use anyhow::{bail, Result};
use compact_str::CompactString;

use crate::edit::{ranges_overlap, Level, LineCounter};
use crate::render::visible;
use crate::write::write_atomic;
use crate::Edit;

use super::args::{CleanArgs, Lossy};
use super::inputs::{gather, replaced_not_written, report_errors, run_all};
use super::Status;

const HELP: &str = "\
y - apply this change
n - do not apply this change
a - apply this change and every remaining fix in this file (suggestions are still asked)
d - do not apply this change nor any remaining change in this file
q - quit: apply nothing more (files already reviewed stay written)
e - type the replacement yourself (an empty line goes back)
? - print this help
";

/// An accepted change: the input range and its replacement.
type Accepted = (Range<usize>, CompactString);

/// What the user decided for the rest of a file, or the whole run.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Ask,
    AcceptRest,
    RejectRest,
    Quit,
}

/// Runs `clean -i`.
pub fn run(args: &CleanArgs) -> Result<Status> {
    if !io::stdin().is_terminal() {
        bail!("clean -i asks about each change and reads the answers from a terminal, but standard input is not one (use --write or --diff in scripts)");
    }
    if args.paths.is_empty() || args.paths.iter().any(|p| p.as_os_str() == "-") {
        bail!("clean -i needs file paths: standard input is where the answers come from");
    }
    // Answers are written to the files: a FIFO or a device named here is
    // refused before it is read (the read could block or never end).
    for path in args.paths.iter().filter(|p| !p.is_dir()) {
        if let Ok(meta) = std::fs::metadata(path) {
            if let Err(e) = crate::write::check_regular(path, &meta) {
                return Ok(report_errors(&[e]));
            }
        }
    }
    let (inputs, mut errors) = gather(
        &args.paths,
        &args.files,
        &args.rules,
        args.apply_suggestions,
        args.lossy.is_some(),
    )?;
    // Answers are written to the files, so `--lossy` repairs are refused
    // as with `--write`, unless `--lossy=write` asked for them.
    let replaced = inputs
        .iter()
        .filter(|i| i.replaced && args.lossy != Some(Lossy::Write));
    errors.extend(replaced.map(|i| replaced_not_written(&i.name)));
    if !errors.is_empty() {
        return Ok(report_errors(&errors));
    }
    let color =
        io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    // Clean first: the progress bar draws on standard error from the
    // worker threads, so the lock below must not be held meanwhile.
    let outcomes = run_all(&inputs);
    let stdin = io::stdin();
    let mut answers = stdin.lock();
    let mut term = io::stderr().lock();
    let mut status = Status::Clean;
    let mut quit = false;
    for (input, outcome) in inputs.iter().zip(outcomes) {
        let path = input.path.as_ref().expect("checked: paths only");
        let proposals: Vec<&Edit> = outcome.edits.iter().filter(|e| e.after.is_some()).collect();
        if quit || proposals.is_empty() {
            continue;
        }
        let review = Review {
            name: &input.name,
            text: &input.text,
            color,
        };
        let (accepted, skipped, mode) = review.ask_all(&proposals, &mut answers, &mut term)?;
        let result = apply(&input.text, &accepted);
        let n = accepted.len();
        let mut note = format!(
            "{}: {n} of {} change{} accepted",
            input.name,
            proposals.len(),
            if proposals.len() == 1 { "" } else { "s" }
        );
        if skipped > 0 {
            note.push_str(&format!(
                " ({skipped} not asked: they overlap an accepted change, or rewrite text an earlier change produced)"
            ));
        }
        if result != input.text {
            match write_atomic(path, result.as_bytes()) {
                Ok(()) => note.push_str("; written"),
                Err(e) => {
                    writeln!(term, "copydesk: error: {e}")?;
                    status = Status::Error;
                    continue;
                }
            }
        } else {
            note.push_str("; file left as it was");
        }
        writeln!(term, "{note}")?;
        if mode == Mode::Quit {
            quit = true;
        }
    }
    Ok(status)
}

/// The input under review.
struct Review<'a> {
    name: &'a str,
    text: &'a str,
    color: bool,
}

impl Review<'_> {
    /// Asks about each proposal; returns the accepted replacements, how
    /// many proposals could not be asked, and the final mode.
    fn ask_all(
        &self,
        proposals: &[&Edit],
        answers: &mut dyn BufRead,
        term: &mut dyn Write,
    ) -> Result<(Vec<Accepted>, usize, Mode)> {
        let mut accepted: Vec<Accepted> = Vec::new();
        let mut skipped = 0;
        let mut mode = Mode::Ask;
        let mut lines = LineCounter::new(self.text);
        let total = proposals.len();
        for (n, e) in proposals.iter().enumerate() {
            let standalone = self.text.get(e.range.clone()) == Some(e.before.as_str());
            let blocked = accepted.iter().any(|(r, _)| ranges_overlap(r, &e.range));
            if !standalone || blocked {
                skipped += 1;
                continue;
            }
            let after = e.after.clone().expect("proposals have a replacement");
            match mode {
                // A suggestion needs an editor's eye: `a` takes the fixes
                // unseen, never a suggestion that was not shown.
                Mode::AcceptRest if e.level == Level::Fix => {
                    accepted.push((e.range.clone(), after));
                    continue;
                }
                Mode::AcceptRest => {}
                Mode::RejectRest | Mode::Quit => continue,
                Mode::Ask => {}
            }
            let pos = lines.position(e.range.start);
            writeln!(term)?;
            writeln!(
                term,
                "{}:{}:{}: {} ({})",
                self.name,
                pos.line,
                pos.column,
                e.rule,
                e.level.as_str()
            )?;
            if !e.why.is_empty() {
                writeln!(term, "  {}", e.why)?;
            }
            self.show(term, &e.range, &e.before, &after)?;
            loop {
                write!(
                    term,
                    "({}/{total}) Apply this change [y,n,a,d,q,e,?]? ",
                    n + 1
                )?;
                term.flush()?;
                let Some(answer) = read_answer(answers)? else {
                    // End of input: as `q`.
                    writeln!(term)?;
                    mode = Mode::Quit;
                    break;
                };
                match answer.trim() {
                    "y" => accepted.push((e.range.clone(), after.clone())),
                    "n" => {}
                    "a" => {
                        accepted.push((e.range.clone(), after.clone()));
                        mode = Mode::AcceptRest;
                    }
                    "d" => mode = Mode::RejectRest,
                    "q" => mode = Mode::Quit,
                    "e" => {
                        write!(
                            term,
                            "Replace `{}` with (empty line: back): ",
                            visible(&e.before)
                        )?;
                        term.flush()?;
                        match read_answer(answers)? {
                            Some(typed) if !typed.is_empty() => {
                                self.show(term, &e.range, &e.before, &typed)?;
                                accepted.push((e.range.clone(), typed.into()));
                            }
                            Some(_) => continue,
                            None => {
                                writeln!(term)?;
                                mode = Mode::Quit;
                            }
                        }
                    }
                    _ => {
                        term.write_all(HELP.as_bytes())?;
                        continue;
                    }
                }
                break;
            }
        }
        accepted.sort_by_key(|(r, _)| (r.start, r.end));
        Ok((accepted, skipped, mode))
    }

    /// Prints the edit's line before and after, the change marked.
    fn show(
        &self,
        term: &mut dyn Write,
        range: &Range<usize>,
        before: &str,
        after: &str,
    ) -> Result<()> {
        let text = self.text;
        let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[range.end..]
            .find('\n')
            .map_or(text.len(), |i| range.end + i);
        let prefix = tail(text[line_start..range.start].trim_end_matches('\r'), 70);
        let suffix = head(text[range.end..line_end].trim_end_matches('\r'), 70);
        let (del, ins, off) = if self.color {
            ("\x1b[1;31;9m", "\x1b[1;32m", "\x1b[0m")
        } else {
            ("", "", "")
        };
        let (open_del, close_del, open_ins, close_ins) = if self.color {
            ("", "", "", "")
        } else {
            ("[-", "-]", "{+", "+}")
        };
        // Nothing removed or nothing added is shown as nothing, as
        // `git diff --word-diff` does.
        let mark = |open: &str, s: &str, close: &str, style: &str| {
            if s.is_empty() {
                String::new()
            } else {
                format!("{style}{open}{}{close}{off}", visible(s))
            }
        };
        writeln!(
            term,
            "  - {prefix}{}{suffix}",
            mark(open_del, before, close_del, del)
        )?;
        writeln!(
            term,
            "  + {prefix}{}{suffix}",
            mark(open_ins, after, close_ins, ins)
        )?;
        Ok(())
    }
}

/// Reads one answer line without its line break; `None` at end of input.
fn read_answer(answers: &mut dyn BufRead) -> Result<Option<String>> {
    let mut line = String::new();
    if answers.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let trimmed = line.trim_end_matches(['\n', '\r']).len();
    line.truncate(trimmed);
    Ok(Some(line))
}

/// The input with the accepted replacements (sorted, disjoint) applied.
fn apply(text: &str, accepted: &[Accepted]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (r, after) in accepted {
        out.push_str(&text[pos..r.start]);
        out.push_str(after);
        pos = r.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// The last `max` characters of `s`, with `…` when cut.
fn tail(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let cut: String = s.chars().skip(n - max).collect();
    format!("…{cut}")
}

/// The first `max` characters of `s`, with `…` when cut.
fn head(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    format!("{cut}…")
}
