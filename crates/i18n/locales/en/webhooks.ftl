# Webhook subscriptions and the event feed (engine).
error-noun-webhook = webhook
error-field-webhook-name = webhook id
error-webhook-id = a webhook id must be 1 to 100 characters
error-webhook-url = the webhook URL must be an http or https URL with a host, without a user name or password
error-webhook-private-target = the webhook URL points at a private, loopback or link-local address ({ $host }); an admin must allow private targets first
error-webhook-no-events = a webhook must subscribe to at least one event
error-webhook-no-secret = a webhook needs at least one signing secret
error-webhook-secret = a webhook secret must be whsec_ followed by 24 to 64 bytes in base64
error-webhook-concurrency = a webhook's concurrency must be 1 to 64 requests
error-webhook-timeout = a webhook's timeout must be 100 to 60000 milliseconds
error-webhook-description = a webhook's description holds at most 1000 characters
error-webhook-not-found = no webhook { $id }
error-webhook-delivery-not-found = no delivery { $id } of this webhook
error-event-feed-agents-only = the event feed is for agents
