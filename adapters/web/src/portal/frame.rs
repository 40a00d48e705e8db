//! The frame of portal pages: the site name and, for a signed-in customer user, the navigation with
//! the page being shown marked.

use super::session::PortalUser;
use crate::page::{Frame, Nav, NavLink, Surface};

/// The pages of the portal's navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The ticket list and a ticket's page.
    Tickets,
    /// The new-ticket form.
    NewTicket,
    /// The Telegram link page.
    LinkTelegram,
    /// None of them (an error page).
    Other,
}

/// The navigation's links: target, text, section.
const LINKS: [(&str, &str, Section); 3] = [
    ("/portal/tickets", "My tickets", Section::Tickets),
    ("/portal/tickets/new", "New ticket", Section::NewTicket),
    ("/portal/link-telegram", "Link Telegram", Section::LinkTelegram),
];

/// The frame of a page of no one signed in (login, errors before a session).
pub fn anonymous(site: &str, tr: chamado_i18n::Tr) -> Frame {
    Frame::new(Surface::Portal, site, tr)
}

/// The frame of a page of `user`, in `section` of the navigation.
pub fn signed_in(user: &PortalUser, section: Section) -> Frame {
    let links = LINKS
        .iter()
        .map(|(href, label, s)| NavLink { href: (*href).into(), label: (*label).into(), current: *s == section })
        .collect();
    anonymous(&user.site, user.tr.clone()).with_nav(Nav { links, login: user.login.clone(), csrf: user.csrf.clone() })
}

/// `problem` as an error page for `user`, with the navigation.
pub fn error(user: &PortalUser, problem: &chamado_http::Problem) -> axum::response::Response {
    crate::page::error(signed_in(user, Section::Other), problem)
}
