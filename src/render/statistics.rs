//! `copydesk check --statistics`: how many findings each rule made, most
//! first, as ruff's `--statistics` counts them — the view a team needs to
//! decide which rules to tune or switch off over a whole archive.

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::Arc;

use serde::Serialize;

use crate::edit::{Edit, Level};

/// Findings counted per rule across any number of files.
#[derive(Debug, Default)]
pub struct Statistics {
    counts: HashMap<Arc<str>, Row>,
}

/// One rule's count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The rule id.
    pub rule: Arc<str>,
    /// The strongest level among its findings.
    pub level: Level,
    /// How many findings it made.
    pub count: usize,
}

impl Statistics {
    /// Counts one file's edits.
    pub fn add(&mut self, edits: &[Edit]) {
        for e in edits {
            let row = self.counts.entry(Arc::clone(&e.rule)).or_insert(Row {
                rule: Arc::clone(&e.rule),
                level: e.level,
                count: 0,
            });
            row.count += 1;
            row.level = row.level.max(e.level);
        }
    }

    /// The rows, most findings first, then by id.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows: Vec<Row> = self.counts.values().cloned().collect();
        rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.rule.cmp(&b.rule)));
        rows
    }

    /// Writes one aligned line per rule: count, id, level.
    pub fn write_table(&self, out: &mut dyn Write) -> io::Result<()> {
        let rows = self.rows();
        let count_width = rows.first().map_or(1, |r| r.count.to_string().len());
        let id_width = rows.iter().map(|r| r.rule.len()).max().unwrap_or(0);
        for r in &rows {
            writeln!(
                out,
                "{:>count_width$}  {:<id_width$}  {}",
                r.count,
                r.rule,
                r.level.as_str()
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(rule: &str, level: Level) -> Edit {
        let rule: Arc<str> = rule.into();
        Edit::new(&rule, level, "ab", 0..1, None, &Arc::from(""))
    }

    #[test]
    fn most_first_then_by_id_with_the_strongest_level() {
        let mut stats = Statistics::default();
        stats.add(&[edit("b-rule", Level::Suggest), edit("a-rule", Level::Flag)]);
        stats.add(&[edit("b-rule", Level::Fix), edit("c", Level::Flag)]);
        let mut table = Vec::new();
        stats.write_table(&mut table).unwrap();
        assert_eq!(
            String::from_utf8(table).unwrap(),
            "2  b-rule  fix\n1  a-rule  flag\n1  c       flag\n"
        );
    }
}
