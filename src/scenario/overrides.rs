//! Values the command line put in place of the file's (`--runs`,
//! `--seed`), and the scenario's text with them (and a name taken from the
//! file name) written in, so the copy in an output folder reproduces the
//! run that wrote it.

use toml_edit::{DocumentMut, Item, Table, Value};

use super::Scenario;

/// Values given on the command line in place of the file's, as used; None
/// where the file's value stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--runs`: exactly this many runs, also in place of runs = "auto".
    pub runs: Option<u32>,
    /// `--seed`: the run seed.
    pub seed: Option<u64>,
}

/// Keys of `[simulation]` that only go with runs = "auto".
const AUTO_KEYS: [&str; 2] = ["ci_half_width", "max_runs"];

impl Overrides {
    /// The flags as typed, e.g. `--seed 5 --runs 30`.
    fn flags(&self) -> String {
        let mut flags = Vec::new();
        if let Some(seed) = self.seed {
            flags.push(format!("--seed {seed}"));
        }
        if let Some(runs) = self.runs {
            flags.push(format!("--runs {runs}"));
        }
        flags.join(" ")
    }
}

impl Scenario {
    /// The scenario file's text as run, to be saved under another file
    /// name: the same text (comments and layout kept) with `[simulation]
    /// seed` and `runs` set to the overrides used and, when the name came
    /// from the file name, `name` set to it, under comment lines saying
    /// what was written in. Running the result without flags gives the same
    /// results in the same folder. The text itself when there is nothing to
    /// write in.
    pub fn text_as_run(&self) -> String {
        let o = self.overrides;
        let Ok(mut doc) = self.text.parse::<DocumentMut>() else {
            // The text was read as TOML once; should the editor disagree,
            // say what to add rather than write a copy that runs otherwise.
            if o == Overrides::default() {
                return self.text.clone();
            }
            return format!(
                "# Run with {}, which this copy does not hold: add them to reproduce the run.\n{}",
                o.flags(),
                self.text
            );
        };
        let mut head = String::new();
        if !doc.contains_key("name") {
            doc.insert("name", toml_edit::value(self.name.as_str()));
            head.push_str(&format!(
                "# name = \"{}\" comes from the file name and is written in, so this copy writes to the same folder.\n",
                self.name
            ));
        }
        // A sweep of an auto-only key needs runs = "auto" at its points,
        // which a fixed count written here would break.
        let swept_auto_key = self.sweep.as_ref().and_then(|sweep| {
            sweep.axes.iter().find_map(|a| {
                AUTO_KEYS
                    .iter()
                    .find(|k| a.key == format!("simulation.{k}"))
                    .map(|_| a.key.clone())
            })
        });
        let mut written = Vec::new();
        let mut left = Vec::new();
        if let Some(seed) = o.seed {
            set(&mut doc, "seed", Value::from(seed as i64));
            written.push(format!("--seed {seed}"));
        }
        if let Some(runs) = o.runs {
            match &swept_auto_key {
                None => {
                    set(&mut doc, "runs", Value::from(runs as i64));
                    if let Some(sim) = simulation(&mut doc) {
                        for k in AUTO_KEYS {
                            sim.remove(k);
                        }
                    }
                    written.push(format!("--runs {runs}"));
                }
                Some(key) => left.push((format!("--runs {runs}"), key.clone())),
            }
        }
        if !written.is_empty() {
            head.push_str(&format!(
                "# Run with {}: written into [simulation] below, so this copy reproduces the run as is.\n",
                written.join(" ")
            ));
        }
        for (flag, key) in left {
            head.push_str(&format!(
                "# Run with {flag}, which this copy does not hold ([sweep] varies {key}, which needs runs = \"auto\"): add {flag} to reproduce the run.\n"
            ));
        }
        if head.is_empty() {
            return self.text.clone();
        }
        head + &doc.to_string()
    }
}

/// The `[simulation]` table, added at the end if the file has none.
fn simulation(doc: &mut DocumentMut) -> Option<&mut dyn toml_edit::TableLike> {
    let root = doc.as_table_mut();
    if !root.contains_key("simulation") {
        let mut t = Table::new();
        t.set_implicit(false);
        root.insert("simulation", Item::Table(t));
    }
    root.get_mut("simulation").and_then(Item::as_table_like_mut)
}

/// Set `[simulation] key` to `value`, keeping the comment and layout
/// around a value already there.
fn set(doc: &mut DocumentMut, key: &str, mut value: Value) {
    let Some(sim) = simulation(doc) else { return };
    match sim.get_mut(key).and_then(Item::as_value_mut) {
        Some(old) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        None => {
            sim.insert(key, Item::Value(value));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::scenario::parse;

    const TEXT: &str = "version = 1\nname = \"s\"\n\n[graph]\ngenerator = \"erdos-renyi\"\nnodes = 100\nmean_degree = 4\n\n[content]\nstickiness = 0.1\n\n[simulation]\nruns = \"auto\"   # as many as it takes\nmax_runs = 5000\nseed = 3 # the seed\n\n[[strategy]]\nkind = \"top-degree\"\ncount = 3\n";

    #[test]
    fn without_overrides_the_text_is_kept() {
        let s = parse(Path::new("s.toml"), TEXT).unwrap();
        assert_eq!(s.text_as_run(), TEXT);
    }

    #[test]
    fn overrides_are_written_in_and_said() {
        let mut s = parse(Path::new("s.toml"), TEXT).unwrap();
        s.set_seed(5).unwrap();
        s.set_runs(30).unwrap();
        let text = s.text_as_run();
        assert!(
            text.starts_with("# Run with --seed 5 --runs 30: "),
            "{text}"
        );
        assert!(text.contains("seed = 5 # the seed\n"), "{text}");
        assert!(
            text.contains("runs = 30   # as many as it takes\n"),
            "{text}"
        );
        assert!(!text.contains("max_runs"), "{text}");
        let again = parse(Path::new("s.toml"), &text).unwrap();
        assert_eq!(again.simulation, s.simulation);
    }

    #[test]
    fn a_name_from_the_file_name_is_written_in() {
        let unnamed = TEXT.replace("name = \"s\"\n", "");
        let s = parse(Path::new("dir/launch.toml"), &unnamed).unwrap();
        let text = s.text_as_run();
        let again = parse(Path::new("out/launch/scenario.toml"), &text).unwrap();
        assert_eq!(again.name.as_str(), "launch");
        assert_eq!(again.simulation, s.simulation);
    }

    #[test]
    fn a_missing_simulation_table_is_added() {
        let bare = TEXT.replace(
            "[simulation]\nruns = \"auto\"   # as many as it takes\nmax_runs = 5000\nseed = 3 # the seed\n",
            "",
        );
        let mut s = parse(Path::new("s.toml"), &bare).unwrap();
        s.set_seed(9).unwrap();
        let again = parse(Path::new("s.toml"), &s.text_as_run()).unwrap();
        assert_eq!(again.simulation, s.simulation);
    }
}
