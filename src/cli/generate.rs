//! Generated files: shell completion scripts (`clap_complete`), man pages
//! (`clap_mangen`) and the manual's command reference (`clap-markdown`),
//! all from the same clap definition as the parser, so they cannot drift
//! from the real options.

use std::io::{self, Write};
use std::path::Path;

use anyhow::{Context as _, Result};
use clap::CommandFactory;

use super::args::Cli;
use super::Status;

/// Prints the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Result<Status> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "copydesk", &mut buf);
    let mut out = io::stdout().lock();
    out.write_all(&buf)?;
    out.flush()?;
    Ok(Status::Clean)
}

/// Prints the command reference as Markdown: the manual's
/// `docs/commands.md`, which a test keeps equal to this output.
pub fn markdown() -> Result<Status> {
    let options = clap_markdown::MarkdownOptions::new()
        .title("Command reference".to_string())
        .show_footer(false);
    let page = clap_markdown::help_markdown_custom::<Cli>(&options);
    let mut out = io::stdout().lock();
    out.write_all(page.as_bytes())?;
    out.flush()?;
    Ok(Status::Clean)
}

/// Prints the main man page, or writes a page per command into `out_dir`.
pub fn man(out_dir: Option<&Path>) -> Result<Status> {
    let page = main_page()?;
    match out_dir {
        None => {
            let mut out = io::stdout().lock();
            out.write_all(&page)?;
            out.flush()?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("{}: cannot create directory", dir.display()))?;
            clap_mangen::generate_to(Cli::command(), dir)
                .with_context(|| format!("{}: cannot write man pages", dir.display()))?;
            let main = dir.join("copydesk.1");
            std::fs::write(&main, &page)
                .with_context(|| format!("{}: cannot write", main.display()))?;
        }
    }
    Ok(Status::Clean)
}

/// `copydesk.1`: clap's sections plus the exit codes and environment,
/// before the version section.
fn main_page() -> Result<Vec<u8>> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    let page = String::from_utf8(page)?;
    let extra = ".SH \"EXIT STATUS\"\n\
        .TP\n0\nNothing to change.\n\
        .TP\n1\n\\fBcheck\\fR found something, \\fBclean \\-\\-check\\fR would change something, \
        \\fBrules test\\fR had a failing example, or \\fBrules lint\\fR warned.\n\
        .TP\n2\nAn error: unreadable, binary or non\\-UTF\\-8 input, a bad rule pack, a bad option.\n\
        .SH ENVIRONMENT\n\
        .TP\nNO_COLOR\nWhen set, \\fB\\-\\-color auto\\fR does not colour output.\n";
    let at = page.find(".SH VERSION").unwrap_or(page.len());
    let mut out = page[..at].to_string();
    out.push_str(extra);
    out.push_str(&page[at..]);
    Ok(out.into_bytes())
}
