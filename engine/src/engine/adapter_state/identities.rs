//! Which customer user an identity on another network (a chat account, `tg:<id>`) is bound to.

use crate::directory::CustomerUser;
use crate::engine::Engine;
use crate::error::Result;

impl Engine {
    /// The customer user bound to `identity` (one of [`CustomerUser::identities`]; `email:<address>`
    /// finds the user of that address), if any.
    pub async fn customer_user_by_identity(&self, identity: &str) -> Result<Option<CustomerUser>> {
        Ok(self.store().customer_user_by_lookup(identity).await?)
    }
}
