//! The benchmark's code path on a tiny corpus, so that it keeps compiling and working: every
//! engine answers every query of the mix and is scored on the judged set. No timings are
//! asserted — performance is what the benchmark measures, not what a test can check.
#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

mod smoke;
