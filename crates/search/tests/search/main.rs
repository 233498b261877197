//! Integration tests of the search crate: index behaviour, relevance on a judged set, and
//! robustness to any input.
#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
#![allow(clippy::print_stdout, reason = "the relevance test prints its figures")]

mod corpus;
mod index;
mod input;
mod relevance;
mod suggest;
mod sync;
mod workers;
