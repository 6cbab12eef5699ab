//! Hostile input and faults: every case a careless or malicious user (or a
//! full disk, a closed pipe, a kill) can throw at the command line, one test
//! per defect. Each test checks the exit code, the message and that nothing
//! of the user's was lost or written outside the output folder.

#[path = "../common/mod.rs"]
mod common;
mod minor;
mod names;
mod outputs;
mod resources;
