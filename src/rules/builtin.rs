//! The default packs, compiled into the binary from `rules/`.

/// `(file name, contents)` of every default pack, in priority order.
pub const PACKS: &[(&str, &str)] = &[
    (
        "entity-names.yaml",
        include_str!("../../rules/entity-names.yaml"),
    ),
    (
        "spun-phrases.yaml",
        include_str!("../../rules/spun-phrases.yaml"),
    ),
    (
        "misused-words.yaml",
        include_str!("../../rules/misused-words.yaml"),
    ),
    (
        "scraping-artefacts.yaml",
        include_str!("../../rules/scraping-artefacts.yaml"),
    ),
    (
        "boilerplate.yaml",
        include_str!("../../rules/boilerplate.yaml"),
    ),
];
