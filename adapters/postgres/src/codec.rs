//! Rows hold the model as JSON, so every field the engine adds later is kept without a migration.

use chamado::StoreError;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub(crate) fn encode<T: Serialize>(v: &T) -> Result<serde_json::Value, StoreError> {
    serde_json::to_value(v).map_err(|e| StoreError::Corrupt(format!("cannot encode a row: {e}")))
}

pub(crate) fn decode<T: DeserializeOwned>(v: serde_json::Value) -> Result<T, StoreError> {
    serde_json::from_value(v).map_err(|e| StoreError::Corrupt(format!("cannot decode a row: {e}")))
}
