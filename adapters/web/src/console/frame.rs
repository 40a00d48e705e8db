//! The console's frame for the shared layout: its site name and the signed-in agent's navigation.

use super::session::AgentUser;
use crate::page::{Frame, Nav, NavLink, Surface};
use chamado_i18n::key;

/// The name in the console's header and titles.
pub const SITE: &str = "chamado";

/// The frame of a console page without a signed-in agent (login, errors before sign-in).
pub fn anonymous(tr: chamado_i18n::Tr) -> Frame {
    Frame::new(Surface::Console, SITE, tr)
}

/// The frame of `user`'s console pages; the navigation link to `current` is marked as the page shown.
pub fn of(user: &AgentUser, current: &str) -> Frame {
    let mut links = vec![
        ("/agent", key("console-queue-view")),
        ("/agent/tickets/new", key("console-new-phone-ticket")),
        ("/agent/search", key("console-search")),
        ("/agent/reports/sla", key("console-sla-reports")),
        ("/agent/preferences", key("page-preferences")),
    ];
    // The admin screens are linked only for agents the engine lets in.
    if user.access.is_admin() {
        links.push(("/admin", key("console-admin")));
    }
    let links = links
        .into_iter()
        .map(|(href, label)| NavLink { href: href.to_string(), label: user.tr.t(label), current: href == current })
        .collect();
    anonymous(user.tr.clone()).with_nav(Nav { links, login: user.login.clone(), csrf: user.csrf.clone() })
}
