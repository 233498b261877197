//! Integration tests of the matching crate: rules per programme at their boundaries, scoring
//! properties, scheduling against brute force, fairness, and candidate generation through the
//! real search indexes.
#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

mod candidates;
mod eligibility;
mod fairness;
mod fixtures;
mod rule_table;
mod schedule;
mod scoring;
