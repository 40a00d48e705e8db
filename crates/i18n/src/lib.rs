//! Every text chamado shows people, in their language.
//!
//! The texts are [Fluent](https://projectfluent.org) files under `locales/<language>/*.ftl`, compiled
//! into the binary: adding a language is adding one folder (`locales/es/` with the same files) and
//! rebuilding. `en` is complete and is the fallback for a key a language lacks (a test keeps every
//! language complete). Messages are flat (no attributes); a key names what it is for, prefixed by the
//! surface that shows it (`portal-`, `console-`, `admin-`, `mail-`, `telegram-`, `error-`, `common-`).
//!
//! ```
//! use chamado_i18n::{Language, Tr};
//! let pt = Language::parse("pt-BR").unwrap();
//! let tr = Tr::new(pt);
//! assert_eq!(tr.t1("common-tickets-count", "count", 2), "2 chamados");
//! assert_eq!(Tr::new(Language::english()).t1("common-tickets-count", "count", 2), "2 tickets");
//! ```

mod arg;
mod language;
mod local_time;
mod message;
mod tr;

pub use arg::Arg;
pub use language::Language;
pub use local_time::{LocalTime, TimeZoneName};
pub use message::Message;
pub use tr::{Tr, key};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Unicode isolation marks around arguments would end up in mail subjects and HTML attributes.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}
