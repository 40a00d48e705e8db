# The engine's refusals people read on pages and in chats. The English texts are also the REST API's
# `detail`s: keep them as they are. Names arrive already quoted ("Sales").

## What records are called, put into sentences as $noun.
error-noun-customer = customer
error-noun-customer-user = customer user
error-noun-agent = agent
error-noun-role = role
error-noun-group = group
error-noun-queue = queue
error-noun-service = service
error-noun-state = state
error-noun-grant = grant
error-noun-priority = priority

## Fields of the directory, put into sentences as $field.
error-field-customer-name = customer name
error-field-customer-user-name = customer user name
error-field-agent-name = agent name
error-field-role-name = role name
error-field-group-name = group name
error-field-queue-name = queue name
error-field-service-name = service name
error-field-state-name = state name
error-field-grant-name = grant name
error-field-priority-name = priority name
error-field-grant-subject = grant subject
error-field-grant-target = grant target
error-field-queue-group = queue group
error-field-agent-login = agent login
error-field-customer-id = customer id
error-field-customer-user-login = customer user login
error-field-identity = identity

## Names and logins.
error-field-empty = { $field } must not be empty
error-field-too-long = { $field } is longer than 200 characters
error-field-control-characters = { $field } must not contain control characters
error-field-surrounding-space = { $field } must not start or end with white space
error-email-invalid = email { $email } is not an address like name@example.com
error-service-name-empty-part = service name { $name } has an empty part; write it as Parent::Child
error-priority-name-number = priority name { $name } reads as a level number; choose a name that is not a number
error-priority-out-of-range = priority { $level } is not between 1 (very low) and 5 (very high)
error-priority-text-unknown = priority { $text } is unknown; use 1..5 or a name like "3 normal"
error-permission-unknown = permission { $text } is unknown; use one of ro, move_into, create, note, owner, priority, rw
error-state-type-unknown = state type { $text } is unknown
error-follow-up-policy-unknown = follow-up policy { $text } is not one of possible, reject, new_ticket
error-channel-unknown = channel { $text } is unknown

## Editing the directory.
error-record-not-found = { $noun } { $name } not found
error-record-taken = { $noun } { $name } already exists; choose another name
error-record-same-name = { $noun } { $name } already has that name
error-admin-group-fixed = group { $group } makes agents admins (rw on it); it cannot be renamed nor made invalid
error-state-type-fixed = state { $state } is of type { $from }, and tickets keep that type for their indexes; it cannot become { $to }: add a state of type { $to } and invalidate this one
error-state-still-next = state { $state } is the next state of valid pending state { $of }; change that one first
error-next-state-invalid = next state { $next } of { $of } is invalid; a pending state must close into a valid state
error-next-state-not-found = next state { $next } of { $state } not found
error-default-priority-fixed = priority { $name } is the one new tickets get when none is given; it stays valid
error-priority-name-taken = priority name { $name } is already level { $level }'s
error-priority-invalid = priority { $name } is invalid and cannot be set
error-priority-unknown = priority { $text } is unknown; use 1..5 or a priority's name
error-queue-group-not-found = group { $group } of queue { $queue } not found
error-parent-service-not-found = parent service { $parent } of { $service } not found
error-customer-grants-ro-rw = customer users and customers hold only ro or rw
error-not-an-admin = agent { $login } is not an admin (needs rw on group admin)
error-customer-cannot-administer = customer users cannot administer

## People and their settings.
error-agent-not-found = agent { $login } not found
error-agent-not-found-or-invalid = agent { $login } (or it is invalid) not found
error-customer-user-not-found = customer user { $login } not found
error-agent-unknown = agent { $login } is unknown
error-agent-invalid = agent { $login } is invalid
error-customer-user-unknown = customer user { $login } is unknown
error-customer-user-invalid = customer user { $login } is invalid
error-customer-user-no-time-zone = customer users have no time zone of their own
error-password-empty = a password hash must not be empty

## Tickets.
error-ticket-not-found = ticket { $number } not found
error-queue-not-found = queue { $name } not found
error-state-not-found = state { $name } not found
error-attachment-not-found = attachment of article { $article } of ticket { $number } not found
error-title-empty = title must not be empty
error-body-empty = body must not be empty
error-body-too-large = the text is { $size } bytes, more than the limit of { $max } bytes
error-queue-closed-to-new = queue { $name } is invalid and takes no new tickets
error-queue-invalid = queue { $queue } is invalid
error-customer-may-not-create = you may not open tickets in queue { $queue }
error-customer-only-own-tickets = customer users open tickets only for themselves
error-agent-may-not-create = agent { $login } may not create tickets in queue { $queue }
error-service-not-available = service { $service } is not available to this customer user
error-history-agents-only = the history is for agents
error-customer-no-queue-view = customer users have no queue view
error-customer-no-internal-notes = customers cannot write internal notes
error-customer-read-only = you may read ticket { $number } but not write to it
error-agent-lacks-permission = agent { $login } lacks { $permission } on queue { $queue }
error-follow-up-closed = this ticket is closed and its queue does not accept follow-ups; please open a new ticket
error-customer-only-close = customers may only close their own tickets
error-change-needs-permission = changing the { $what } needs { $permission } on queue { $queue }
error-changed-state = state
error-changed-pending-time = pending time
error-changed-priority = priority
error-changed-title = title
error-changed-responsible = responsible agent
error-changed-owner = owner
error-changed-lock = lock
error-ticket-locked-by = ticket { $number } is locked by { $owner }
error-ticket-locked = ticket { $number } is locked by another agent
error-move-needs-move-into = moving into queue { $queue } needs move_into on its group
error-agent-lacks-group-permission = agent { $login } lacks { $permission } on group { $group }
error-merge-needs-rw = merging needs rw on ticket { $number }
error-merge-agents-only = only agents merge tickets
error-merge-target-not-found = ticket { $number } cannot be merged into { $target }: not found
error-merge-into-itself = a ticket cannot be merged into itself
error-search-too-long = the search query is longer than 500 characters
error-search-empty = the search query is empty

## States.
error-state-invalid = state { $state } is invalid and cannot be set
error-ticket-merged-state = the ticket is merged; change its target ticket instead of setting { $state }
error-ticket-removed-state = the ticket is removed; it cannot become { $state }
error-state-merged-directly = use merge to merge tickets; the state merged cannot be set directly
error-state-back-to-new = a ticket that was { $from } cannot go back to { $to }
error-ticket-already = ticket { $number } is already { $state }
error-state-needs-pending-time = state { $state } needs pending_until (when it is due)
error-pending-time-needs-pending-state = pending_until needs a pending state
error-pending-time-past = pending_until { $time } is not in the future

## Attachments.
error-attachment-file-too-large = the file { $name } is { $size } bytes, more than the limit of { $max } bytes per file
error-attachment-files-too-large = the files are { $size } bytes together, more than the limit of { $max } bytes per message
error-attachment-too-many = { $count } files, more than the limit of { $max } per message

## Languages and time zones people choose.
error-language-unknown = language { $language } is not one chamado speaks; choose one of { $choices }
error-time-zone-unknown = time zone { $zone } is not an IANA time zone name such as America/Sao_Paulo

## Grants and repeated requests.
error-grant-subject-not-found = grant subject { $subject } not found
error-grant-target-not-found = grant target { $target } (for { $subject }) not found
error-request-in-progress = the request is being processed; retry
error-message-too-large = the message text is larger than { $max } bytes

## Mail accounts (mailboxes the helpdesk pulls mail from)
error-noun-mail-account = mail account
error-field-mail-account-name = mail account name
error-mail-account-name = A mail account's name may hold only letters, digits, ".", "_" and "-" (at most 64).
error-mail-account-host = The mail server's host must be a host name or an IP address.
error-mail-account-port = The mail server's port must be between 1 and 65535.
error-mail-account-tls-none = A connection without TLS is allowed only to a server on this machine (a loopback address or localhost).
error-mail-account-login = The login must not be empty nor hold control characters.
error-mail-account-password = The password must not be empty nor hold line breaks (at most 1024 characters).
error-mail-account-oauth = XOAUTH2 needs a refresh token and a client id, without control characters.
error-mail-account-token-url = The token endpoint must be an https:// address (http:// only on this machine).
error-mail-account-folders = Give 1 to 50 distinct folder names, without quotes, backslashes or control characters.
error-mail-account-pop3-folders = A POP3 mailbox has one folder only: INBOX.
error-mail-account-pop3-move = POP3 cannot move messages: keep or delete them.
error-mail-account-move-folder = The folder to move taken mail to must be a valid folder name that is not read itself.
error-mail-account-since = The first-sync date must be a date such as 2026-01-31.
error-mail-account-poll = The check interval must be between { $min } and { $max } seconds.
error-mail-account-authserv-id = The authserv-id must be one word without spaces (at most 255 characters).
