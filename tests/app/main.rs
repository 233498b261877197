//! End-to-end tests of the application: the HTTP server in-process (`spawn_app`, port 0, a
//! fresh database per test on every configured back-end) and the real `caunoi` binary.
#![allow(clippy::unwrap_used)]

mod accounts;
mod binary;
mod browser;
mod fairs;
mod helpers;
mod matching;
mod openapi;
mod overseas;
mod pages;
mod plans;
mod search;
mod training;
mod vacancies;
mod web;
mod workers;
