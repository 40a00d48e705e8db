//! The frame of portal pages: the site name and, for a signed-in customer user, the navigation with
//! the page being shown marked.

use super::session::PortalUser;
use crate::page::{Frame, Nav, NavLink, Surface};
use chamado_i18n::key;

/// The pages of the portal's navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The ticket list and a ticket's page.
    Tickets,
    /// The new-ticket form.
    NewTicket,
    /// The Telegram link page.
    LinkTelegram,
    /// The customer user's own preferences.
    Preferences,
    /// None of them (an error page).
    Other,
}

/// The navigation's links: target, text (a message key), section.
const LINKS: [(&str, &str, Section); 4] = [
    ("/portal/tickets", key("portal-my-tickets"), Section::Tickets),
    ("/portal/tickets/new", key("portal-new-ticket"), Section::NewTicket),
    ("/portal/link-telegram", key("portal-link-telegram"), Section::LinkTelegram),
    ("/portal/preferences", key("page-preferences"), Section::Preferences),
];

/// The frame of a page of no one signed in (login, errors before a session).
pub fn anonymous(site: &str, tr: chamado_i18n::Tr) -> Frame {
    Frame::new(Surface::Portal, site, tr)
}

/// The frame of a page of `user`, in `section` of the navigation.
pub fn signed_in(user: &PortalUser, section: Section) -> Frame {
    let links = LINKS
        .iter()
        .map(|(href, label, s)| NavLink { href: (*href).into(), label: user.tr.t(label), current: *s == section })
        .collect();
    anonymous(&user.site, user.tr.clone()).with_nav(Nav { links, login: user.login.clone(), csrf: user.csrf.clone() })
}

/// `problem` as an error page for `user`, with the navigation.
pub fn error(user: &PortalUser, problem: &chamado_http::Problem) -> axum::response::Response {
    crate::page::error(signed_in(user, Section::Other), problem)
}
