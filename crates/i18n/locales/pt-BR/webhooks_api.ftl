## Webhooks e o fluxo de eventos pela API
error-api-webhook-event = { $event } não é um tipo de evento (a seção webhooks do documento OpenAPI lista os tipos)
error-api-webhook-time = { $field } deve ser um horário RFC 3339 como 2026-12-01T09:00:00Z, não { $value }
error-api-webhook-secrets-max = um webhook tem no máximo { $max } segredos; deixe os antigos expirarem antes
error-api-webhook-delivery-pending = a entrega { $id } já está esperando para ser enviada
error-api-webhook-limit = limit deve estar entre 1 e 500
error-api-events-after = after deve ser um next_cursor dado por este fluxo, ou now, não { $value }
error-api-events-limit = limit deve estar entre 1 e 1000
error-api-events-wait = wait deve estar entre 0 e 30 segundos
error-api-events-busy = { $max } requisições suas já estão esperando eventos; tente de novo quando uma tiver respondido
error-api-webhook-hours = os segredos antigos podem continuar assinando por no máximo { $max } horas
error-api-webhook-before = before deve ser o id de uma entrega (no máximo 9223372036854775807)
