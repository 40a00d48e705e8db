//! Example programs for chamado; see the `examples` directory (`cargo run --example helpdesk`).
#![forbid(unsafe_code)]
