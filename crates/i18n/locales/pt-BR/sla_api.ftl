## Calendários, SLAs e o relatório de SLA pela API
error-api-calendar-exists = o calendário { $name } já existe; altere-o com PUT
error-api-sla-exists = o SLA { $name } já existe; altere-o com PUT
error-api-calendar-not-found = calendário { $name } não encontrado
error-api-report-time = { $field } deve ser um horário RFC 3339 como 2026-12-01T09:00:00Z, não { $value }
