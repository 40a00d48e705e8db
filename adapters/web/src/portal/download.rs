//! `/portal/tickets/{number}/articles/{article}/attachments/{index}`: a file of an article, for the
//! signed-in customer user. The engine decides who may have it: only files of articles visible to
//! customers, on tickets this customer user may see; anything else is 404 like a missing file.

use super::frame::error;
use super::session::PortalUser;
use axum::extract::{Path, State};
use axum::response::Response;
use chamado::{Actor, ArticleId, AttachmentRef};
use chamado_http::AppState;

/// The file, as a download ([`chamado_http::files::download`]), or an error page.
pub async fn download(
    State(st): State<AppState>,
    user: PortalUser,
    Path((number, article, index)): Path<(String, u64, usize)>,
) -> Response {
    let which = AttachmentRef::Index(index);
    match st.engine.attachment(&Actor::customer(&user.login), &number, ArticleId(article), which).await {
        Ok(file) => chamado_http::files::download(file),
        Err(e) => error(&user, &e.into()),
    }
}
