## Webhooks and the event feed over the API
error-api-webhook-event = { $event } is not an event type (the OpenAPI document's webhooks section lists them)
error-api-webhook-time = { $field } must be an RFC 3339 time like 2026-12-01T09:00:00Z, not { $value }
error-api-webhook-secrets-max = a webhook holds at most { $max } secrets; let old ones expire first
error-api-webhook-delivery-pending = delivery { $id } is waiting to be sent already
error-api-webhook-limit = limit must be between 1 and 500
error-api-events-after = after must be a next_cursor this feed gave, or now, not { $value }
error-api-events-limit = limit must be between 1 and 1000
error-api-events-wait = wait must be between 0 and 30 seconds
error-api-events-busy = { $max } of your requests are waiting for events already; retry when one has answered
error-api-webhook-hours = old secrets may keep signing for at most { $max } hours
error-api-webhook-before = before must be a delivery id (at most 9223372036854775807)
