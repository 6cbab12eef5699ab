//! The registry of strategy kinds. Each kind's file holds one [`Kind`]:
//! its name as a scenario writes it, a line saying what it does, the keys
//! it takes and how to build it from them; [`super::KINDS`] lists them
//! once. The scenario checker, its error messages ("allowed random,
//! top-degree, ..."), the starter scenario and the report all read that
//! list, so a new kind is a new file plus one line there.
//!
//! A kind reads its keys through [`Keys`], which the scenario module
//! implements over a TOML table: every check's message and location come
//! from there, and the kind never sees a file.

use std::fmt;
use std::sync::Arc;

use super::{Limit, SeedingStrategy};
use crate::model::Goal;

/// One kind of seeding strategy.
pub struct Kind {
    /// The name `kind = "..."` gives, in every output.
    pub name: &'static str,
    /// Whom it seeds, in one line of plain words: the start of its row in
    /// the table of kinds in docs/scenario.md (tests/docs.rs holds them to
    /// it).
    pub about: &'static str,
    /// The keys it takes besides `name`, `kind` and `segments`, in the
    /// order messages list them.
    pub keys: &'static [&'static str],
    /// Build the strategy from its keys.
    pub build: Build,
}

/// How a kind builds its strategy from the keys of its table.
pub type Build = fn(&mut dyn Keys) -> Result<Arc<dyn SeedingStrategy>, Refused>;

impl fmt::Debug for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for Kind {
    fn eq(&self, other: &Kind) -> bool {
        self.name == other.name
    }
}

/// The key `count` or `budget` that every kind but `explicit` takes.
pub const LIMIT_KEYS: &[&str] = &["count", "budget"];

/// A key was refused; the [`Keys`] that refused it holds the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused;

/// The keys of one strategy table. Each call reads and checks one key,
/// with its default when the table leaves it out; a value outside what is
/// allowed is [`Refused`], with a message naming the key and the range.
pub trait Keys {
    /// `count` (people, 0 or more) or `budget` (money, above 0): exactly
    /// one of them.
    fn limit(&mut self) -> Result<Limit, Refused>;

    /// A number that `allowed` accepts, or `default` when the key is left
    /// out. `range` says what is allowed, in words ("allowed 0.01 to 1").
    fn number(
        &mut self,
        key: &'static str,
        default: f64,
        allowed: fn(f64) -> bool,
        range: &str,
    ) -> Result<f64, Refused>;

    /// A whole number from `lo` to `hi`, or `default` when left out.
    fn whole(&mut self, key: &'static str, default: u64, lo: u64, hi: u64) -> Result<u64, Refused>;

    /// A list of distinct person ids (whole numbers from 0, or texts such
    /// as usernames; at least one); the key is required.
    fn ids(&mut self, key: &'static str) -> Result<Vec<crate::graph::PersonRef>, Refused>;

    /// `goal`: the metric the strategy maximises instead of the
    /// scenario's, or None when left out.
    fn goal(&mut self) -> Result<Option<Goal>, Refused>;
}

/// How numbers are written in the words a strategy gives of itself
/// ([`SeedingStrategy::describe`]): the report's own formats, so the
/// strategy's sentence reads like the rest of the page.
pub trait Words {
    /// A count (of people, of runs), with thousands separators.
    fn count(&self, n: u64) -> String;
    /// An amount of money.
    fn money(&self, x: f64) -> String;
    /// A parameter as short as it reads exactly (0.85, 200).
    fn plain(&self, x: f64) -> String;
}

/// "10 people: `what`", "a budget of 5,000: `what`" or "nobody": how a
/// strategy limited by `limit` describes itself.
pub fn within(limit: Limit, words: &dyn Words, what: &str) -> String {
    match limit {
        Limit::Count(0) => "nobody".to_string(),
        Limit::Count(1) => format!("1 person: {what}"),
        Limit::Count(n) => format!("{} people: {what}", words.count(n as u64)),
        Limit::Budget(b) => format!("a budget of {}: {what}", words.money(b)),
    }
}
