//! viralsim: Monte Carlo simulation of how marketing content spreads by word
//! of mouth over social networks.
//!
//! The data flows one way, and the modules follow it:
//! [`scenario`] (TOML) -> [`graph`] -> [`strategy`] and [`model`] ->
//! [`engine`] (parallel Monte Carlo) -> [`stats`] -> [`report`] (JSON, CSV,
//! charts, table). [`pipeline`] strings them together for one scenario,
//! and [`sweep`] runs it at every point of a `[sweep]` grid. [`resources`]
//! says what a run may use of the machine, and [`footprint`] what a
//! scenario will need, checked before anything large is built.
//! The scenario keys are documented in docs/scenario.md and the metrics in
//! the README.

pub mod engine;
pub mod error;
pub mod footprint;
pub mod graph;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod resources;
pub mod rng;
pub mod scenario;
pub mod stats;
pub mod strategy;
pub mod sweep;

pub use error::Error;

/// Ask the CPU to start loading the cache line at `p`; a no-op where there
/// is no prefetch instruction. Never faults, whatever `p` is.
#[inline(always)]
pub(crate) fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is only a hint; it cannot fault on any address.
    #[allow(unused_unsafe)]
    unsafe {
        core::arch::x86_64::_mm_prefetch(p as *const i8, core::arch::x86_64::_MM_HINT_T0)
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}
