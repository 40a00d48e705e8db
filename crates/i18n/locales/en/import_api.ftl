## Importing from another help desk over the API (/api/v1/import)
error-api-import-subject-name = the grant's subject { $type } needs a name
error-api-import-target-name = the grant's target { $type } needs a name
error-api-import-default-name = the grant's subject default_customer_users takes no name
error-api-import-subject = { $type } is no grant subject; use customer_user, customer, default_customer_users, agent or role
error-api-import-target = { $type } is no grant target; use group, service or role
error-api-import-hash = password_hash must be 1 to { $max } characters without control characters
error-api-import-name = { $field } { $value } is unknown; use one of { $names }
error-api-import-number = ticket number { $number } must be 1 to 50 letters, digits, - or _
error-api-import-time = { $field } must be an RFC 3339 time like 2026-01-10T09:00:00Z, not { $value }
error-api-import-base64 = the content of file { $name } is not standard base64 with padding
error-api-import-length = { $field } must be { $min } to { $max } characters long
error-api-import-numbers-max = at most { $max } numbers a request
