//! What people change about themselves (`/api/v1/me/preferences`): their language and time zone.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a person may change about themselves (`GET`/`PUT /api/v1/me/preferences`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferencesBody {
    /// The caller's language (`pt-BR`); `null` for the browser's, else the system's.
    #[serde(default)]
    #[schema(schema_with = crate::rules::language_or_null)]
    pub language: Option<String>,
    /// The caller's time zone (`America/Sao_Paulo`), agents only; `null` for the system's. Customer
    /// users must send `null` (or leave it out): their times are the system's.
    #[serde(default)]
    #[schema(schema_with = crate::rules::time_zone_or_null)]
    pub time_zone: Option<String>,
}

impl PreferencesBody {
    /// Refuses a language or time zone not spelled as the schema lists it.
    pub fn check(&self) -> Result<(), chamado::Error> {
        crate::locale::check_language(self.language.as_deref())?;
        crate::locale::check_time_zone(self.time_zone.as_deref())
    }
}
