//! Integration tests of the matching crate.
