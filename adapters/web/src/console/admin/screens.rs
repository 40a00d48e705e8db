//! The admin start page.

use super::AdminUser;
use super::view::{Head, chrome, show};
use crate::page::Frame;
use askama::Template;
use axum::response::Response;

/// The start page: the admin menu.
#[derive(Template)]
#[template(path = "admin/index.html")]
struct IndexPage {
    frame: Frame,
    head: Head,
}

/// `GET /admin`.
pub async fn index(AdminUser(user): AdminUser) -> Response {
    let (frame, head) = chrome(&user, user.tr.t("admin-title"), "", "");
    show(&IndexPage { frame, head })
}
