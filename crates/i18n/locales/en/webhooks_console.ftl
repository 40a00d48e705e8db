## The console's admin screens for webhooks: the subscriptions, their secrets, their deliveries and
## replays.

admin-webhook-webhooks = Webhooks
admin-webhook-webhook = Webhook { $id }
admin-webhook-webhooks-intro = Each webhook receives the events it subscribes to as signed HTTP requests (Standard Webhooks), in order per ticket, retried for a day before they become dead letters.
admin-webhook-webhooks-none = No webhook yet.
admin-webhook-webhooks-add = Add webhook
admin-webhook-webhooks-all = All webhooks
admin-webhook-backlog = { $count ->
    [one] One delivery is waiting to be sent.
   *[other] { $count } deliveries are waiting to be sent.
}
admin-webhook-counted = among the latest { $count } deliveries
admin-webhook-col-state = State
admin-webhook-col-pending = Waiting
admin-webhook-col-dead = Dead letters
admin-webhook-enabled = enabled
admin-webhook-disabled = disabled
admin-webhook-disabled-because = Disabled by the help desk: { $reason }. Tick "Enabled" and save to send to it again; replay its dead letters below.

## The form.
admin-webhook-field-url = URL
admin-webhook-field-events = Events
admin-webhook-field-queues = Only tickets in these queues
admin-webhook-field-groups = Only tickets in queues of these groups
admin-webhook-filters-hint = Filters apply to ticket events; none chosen means every queue. Customer events ignore them.
admin-webhook-field-description = Description
admin-webhook-field-concurrency = Requests at once at most
admin-webhook-field-timeout = Timeout (milliseconds)
admin-webhook-field-enabled = Enabled
admin-webhook-field-secret = Signing secret
admin-webhook-secret-hint = Leave it empty to have one generated (whsec_ and base64 of 24 to 64 bytes). It is shown once.
admin-webhook-number-invalid = { $field }: { $value } is not a whole number
admin-webhook-event-ticket-created = a ticket was opened
admin-webhook-event-article-added = an article was added
admin-webhook-event-state-changed = the state changed
admin-webhook-event-queue-changed = the ticket moved to another queue
admin-webhook-event-owner-changed = the owner changed
admin-webhook-event-responsible-changed = the responsible agent changed
admin-webhook-event-priority-changed = the priority changed
admin-webhook-event-lock-changed = locked or unlocked
admin-webhook-event-title-changed = the title changed
admin-webhook-event-ticket-customer-changed = the ticket's customer changed
admin-webhook-event-service-changed = the service changed
admin-webhook-event-sla-changed = the SLA changed
admin-webhook-event-merged = tickets were merged
admin-webhook-event-escalation-warning = an escalation clock reached its warning point
admin-webhook-event-escalation-breach = an escalation clock reached its due time
admin-webhook-event-customer-changed = a customer was added or changed
admin-webhook-event-customer-user-changed = a customer user was added or changed

## Secrets.
admin-webhook-secrets = Signing secrets
admin-webhook-secrets-intro = Every secret that has not expired signs each request. To rotate, add a secret, give it to the receiver, and let the old ones expire.
admin-webhook-col-added = Added
admin-webhook-col-expires = Stops signing
admin-webhook-secret-never = never
admin-webhook-secret-expired = expired { $when }
admin-webhook-field-expire-hours = Old secrets stop signing in (hours)
admin-webhook-expire-hint = Leave it empty to keep the old secrets signing.
admin-webhook-expire-too-late = { $value } hours: old secrets must expire within a year
admin-webhook-add-secret = Add a secret
admin-webhook-secret-heading = New secret of webhook { $id }
admin-webhook-secret-copy-now = Copy this secret now and give it to the receiver: it is not shown again.
admin-webhook-secret-back = Back to the webhook

## Delete.
admin-webhook-delete = Delete this webhook
admin-webhook-delete-heading = Delete webhook { $id }?
admin-webhook-delete-explain = Nothing more is sent to { $url }; what is still waiting for it becomes a dead letter.
admin-webhook-delete-button = Delete
admin-webhook-cancel = Cancel

## Deliveries.
admin-webhook-deliveries = Deliveries
admin-webhook-deliveries-heading = Deliveries of webhook { $id }
admin-webhook-deliveries-none = Nothing was sent yet.
admin-webhook-back = The webhook
admin-webhook-older = Older deliveries
admin-webhook-col-event = Event
admin-webhook-col-ticket = Ticket
admin-webhook-col-status = Status
admin-webhook-col-attempts = Attempts
admin-webhook-col-next = Next attempt
admin-webhook-col-queued = Queued
admin-webhook-col-attempt-at = Attempt
admin-webhook-col-http = HTTP
admin-webhook-col-latency = Latency
admin-webhook-col-error = Error
admin-webhook-latency = { $ms } ms
admin-webhook-status-pending = waiting
admin-webhook-status-sent = sent
admin-webhook-status-dead = dead letter
admin-webhook-replays = { $count ->
    [one] replayed once
   *[other] replayed { $count } times
}
admin-webhook-replay = Send again
admin-webhook-replayed = { $count ->
    [0] Nothing to send again in that range.
    [one] One delivery will be sent again.
   *[other] { $count } deliveries will be sent again.
}
admin-webhook-replay-range = Send a time range again
admin-webhook-replay-range-hint = Every delivery queued in the range that is not waiting already is sent again, with the same webhook-id, so receivers can tell repeats.
admin-webhook-field-from = From
admin-webhook-field-to = To (not included)
admin-webhook-field-only-failed = Only dead letters
admin-webhook-replay-range-button = Send again
admin-webhook-time-invalid = { $value } is not a date and time
admin-webhook-range-invalid = The range must end after it starts.
