## Importação de outro help desk pela API (/api/v1/import)
error-api-import-subject-name = o sujeito { $type } da concessão precisa de um nome
error-api-import-target-name = o alvo { $type } da concessão precisa de um nome
error-api-import-default-name = o sujeito default_customer_users da concessão não leva nome
error-api-import-subject = { $type } não é sujeito de concessão; use customer_user, customer, default_customer_users, agent ou role
error-api-import-target = { $type } não é alvo de concessão; use group, service ou role
error-api-import-hash = password_hash deve ter de 1 a { $max } caracteres, sem caracteres de controle
error-api-import-name = { $field } { $value } é desconhecido; use um de { $names }
error-api-import-number = o número de chamado { $number } deve ter de 1 a 50 letras, dígitos, - ou _
error-api-import-time = { $field } deve ser um horário RFC 3339 como 2026-01-10T09:00:00Z, não { $value }
error-api-import-base64 = o conteúdo do arquivo { $name } não é base64 padrão com preenchimento
error-api-import-length = { $field } deve ter de { $min } a { $max } caracteres
error-api-import-numbers-max = no máximo { $max } números por requisição
