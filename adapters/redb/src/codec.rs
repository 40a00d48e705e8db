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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chamado::{ArticleId, IdempotencyOutcome, IdempotencyRecord, TicketId, Timestamp};
    use serde::Serialize;

    /// An idempotency record as files written before the outcome was typed hold it.
    #[derive(Serialize)]
    struct LegacyRecord {
        key: String,
        ticket_id: Option<TicketId>,
        article_id: Option<ArticleId>,
        outcome: String,
        detail: Option<String>,
        at: Timestamp,
    }

    #[test]
    fn idempotency_records_of_older_files_still_decode() {
        for outcome in IdempotencyOutcome::ALL {
            let legacy = LegacyRecord {
                key: "mail:a@b:<1@b>".into(),
                ticket_id: Some(TicketId(7)),
                article_id: Some(ArticleId(9)),
                outcome: outcome.as_str().into(),
                detail: Some("why".into()),
                at: Timestamp(5),
            };
            let bytes = encode(&legacy).unwrap();
            let rec: IdempotencyRecord = decode(&bytes, "an idempotency record").unwrap();
            assert_eq!(rec.outcome, outcome);
            assert_eq!(
                (rec.ticket_id, rec.article_id, rec.detail.as_deref()),
                (Some(TicketId(7)), Some(ArticleId(9)), Some("why"))
            );
            assert_eq!(encode(&rec).unwrap(), bytes, "the stored form is unchanged");
        }
        let unknown = LegacyRecord {
            key: "k".into(),
            ticket_id: None,
            article_id: None,
            outcome: "exploded".into(),
            detail: None,
            at: Timestamp(5),
        };
        let bytes = encode(&unknown).unwrap();
        assert!(decode::<IdempotencyRecord>(&bytes, "an idempotency record").is_err());
    }

    /// Records are JSON, tagged by the variant's name: adding `Record::Webhook` changed no stored
    /// record's bytes, and a subscription round-trips like any record.
    #[test]
    fn records_are_tagged_by_name_and_subscriptions_round_trip() {
        let customer = chamado::Record::Customer(chamado::Customer::new("acme", "Acme Inc."));
        let bytes = encode_record(&customer).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(json["kind"], "customer", "tagged by name, not by position: {json}");
        assert_eq!(decode_record(&bytes).unwrap(), customer);
        let sub = chamado::WebhookSubscription::new(
            "wh_1",
            "https://hooks.example/in",
            vec![chamado::EventType::TicketCreated, chamado::EventType::ArticleAdded],
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        );
        let record = chamado::Record::Webhook(sub);
        assert_eq!(decode_record(&encode_record(&record).unwrap()).unwrap(), record);
    }
}
