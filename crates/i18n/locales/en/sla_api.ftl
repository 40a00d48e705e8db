## Calendars, SLAs and the SLA report over the API
error-api-calendar-exists = calendar { $name } already exists; change it with PUT
error-api-sla-exists = SLA { $name } already exists; change it with PUT
error-api-calendar-not-found = calendar { $name } not found
error-api-report-time = { $field } must be an RFC 3339 time like 2026-12-01T09:00:00Z, not { $value }
