//! Helpers for the hostile tests: those every integration test shares
//! (tests/common), under the path the modules here import them from.

pub use crate::common::*;
