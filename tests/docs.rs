//! The documentation covers the registries: every strategy kind (its row
//! in the table of kinds starts with the kind's own one-line description)
//! and each of its keys, and every spread model, appear in
//! docs/scenario.md, so a new kind cannot land undocumented.

mod common;

use viralsim::model::MODELS;
use viralsim::strategy::KINDS;

fn scenario_doc() -> String {
    std::fs::read_to_string(common::root().join("docs/scenario.md")).unwrap()
}

#[test]
fn every_strategy_kind_and_key_is_documented() {
    let doc = scenario_doc();
    for kind in KINDS {
        let row = format!("| `{}` | {}", kind.name, kind.about);
        assert!(
            doc.contains(&row),
            "docs/scenario.md has no row for strategy kind `{}` starting \"{row}\"",
            kind.name
        );
        for key in kind.keys {
            assert!(
                doc.contains(&format!("| `{key}` |")),
                "docs/scenario.md has no row for `{key}`, a key of strategy kind `{}`",
                kind.name
            );
        }
    }
}

#[test]
fn every_spread_model_is_documented() {
    let doc = scenario_doc();
    for model in MODELS {
        assert!(
            doc.contains(&format!("**`{}`**", model.name)),
            "docs/scenario.md does not describe model `{}`",
            model.name
        );
    }
}
