//! The value encoding: postcard (compact, fast, schema-less; the schema version guards its layout).

use crate::error::{Error, Result};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Encodes a value for storage.
pub(crate) fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    postcard::to_allocvec(value).map_err(|e| Error::Storage(format!("cannot encode a value: {e}")))
}

/// Decodes a stored value; undecodable bytes are corruption.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    postcard::from_bytes(bytes).map_err(|e| Error::Corrupt(format!("cannot decode {what}: {e}")))
}

/// Encodes a directory record. Records use JSON: their serde form (adjacently tagged enums, sequences
/// of unknown length in permission sets) needs a self-describing format, and they are small and rare.
pub(crate) fn encode_record(record: &chamado::Record) -> Result<Vec<u8>> {
    serde_json::to_vec(record).map_err(|e| Error::Storage(format!("cannot encode a directory record: {e}")))
}

/// Decodes a directory record written by [`encode_record`].
pub(crate) fn decode_record(bytes: &[u8]) -> Result<chamado::Record> {
    serde_json::from_slice(bytes).map_err(|e| Error::Corrupt(format!("cannot decode a directory record: {e}")))
}
