## The console's screens for admins' texts (auto-responses, salutations, signatures, templates,
## notifications), the queue form's text fields, and the agent's notification preferences, watching
## and template pickers.

## Admin screens: lists and forms.
admin-texts-auto-responses = Auto-responses
admin-texts-auto-responses-add = Add auto-response
admin-texts-auto-responses-none = No auto-response yet.
admin-texts-auto-responses-all = All auto-responses
admin-texts-auto-response = Auto-response { $name }
admin-texts-salutations = Salutations
admin-texts-salutations-add = Add salutation
admin-texts-salutations-none = No salutation yet.
admin-texts-salutations-all = All salutations
admin-texts-salutation = Salutation { $name }
admin-texts-signatures = Signatures
admin-texts-signatures-add = Add signature
admin-texts-signatures-none = No signature yet.
admin-texts-signatures-all = All signatures
admin-texts-signature = Signature { $name }
admin-texts-templates = Templates
admin-texts-templates-add = Add template
admin-texts-templates-none = No template yet.
admin-texts-templates-all = All templates
admin-texts-template = Template { $name }
admin-texts-notifications = Agent notifications
admin-texts-notifications-all = All notifications
admin-texts-notification = Notification: { $name }
admin-texts-notifications-intro = What each event tells agents, and how. Agents choose their own channels where you let them; Telegram reaches only agents who linked a chat.
admin-texts-col-kind = Kind
admin-texts-col-queues = Queues
admin-texts-col-languages = Languages
admin-texts-col-notification = Notification
admin-texts-col-email = Email
admin-texts-col-telegram = Telegram
admin-texts-col-agent-may-choose = Agents may choose
admin-texts-col-texts = Texts
admin-texts-yes = yes
admin-texts-no = no
admin-texts-shipped = shipped
admin-texts-field-queues = Offered in the queues
admin-texts-field-subject = Subject
admin-texts-field-body = Text
admin-texts-field-notification-valid = On (agents are told)
admin-texts-field-channels = Sent by default by
admin-texts-field-agent-may-choose = Agents may change the channels on their preferences page
admin-texts-languages-hint = One text per language; languages left empty are not used. Readers get the text in their language, else in the system's, else in English.
admin-texts-notification-texts-hint = Leave every language empty to send the shipped translated text.
admin-texts-notification-reset = Back to the shipped settings
admin-texts-notification-reset-explain = Your settings and texts for this notification are removed; it is on, by email, agents may choose, with the shipped texts.
admin-texts-kind-reply = Auto reply (new ticket)
admin-texts-kind-reject = Auto reject (follow-up refused)
admin-texts-kind-follow-up = Auto follow-up (follow-up taken)
admin-texts-kind-reply-new-ticket = Auto reply/new ticket (follow-up opened a new ticket)
admin-texts-kind-answer = Answer
admin-texts-kind-note = Note
admin-texts-kind-create = Create (phone ticket)
admin-texts-delete = Delete
admin-texts-delete-heading = Delete { $name }?
admin-texts-delete-explain = The text is removed for good. One a queue uses is kept: choose another in the queue first.
admin-texts-delete-button = Delete
admin-texts-cancel = Cancel

## The help box of template variables.
admin-texts-variables = Template variables
admin-texts-variables-intro = Subjects and texts are templates: write a variable between double braces, and use if and for blocks. For example:
admin-texts-var-ticket = the ticket
admin-texts-var-article = the message the text answers or tells about
admin-texts-var-customer-user = the ticket's customer user
admin-texts-var-customer = the ticket's customer (company)
admin-texts-var-agent = the agent writing, or the one told
admin-texts-var-queue = the ticket's queue
admin-texts-var-urls = links into the helpdesk; ticket is the agent's view of the ticket, portal_ticket the customer's
admin-texts-var-notification = notifications only: which one and who caused it
admin-texts-variables-checked = A text is checked when it is saved: a mistake is shown with its line, and nothing is saved.

## The queue form.
admin-texts-queue-auto-responses = Auto-responses
admin-texts-queue-auto-shipped = the shipped answer
admin-texts-queue-auto-none = none (nothing is sent)
admin-texts-queue-none = none
admin-texts-queue-salutation = Salutation (above agent replies)
admin-texts-queue-signature = Signature (below agent replies)
admin-texts-queue-unlock = Unlock timeout (minutes)
admin-texts-queue-unlock-hint = A locked ticket whose owner has not answered is unlocked after this many minutes; 0 never.
admin-texts-queue-unlock-invalid = The unlock timeout must be a whole number of minutes (0 for never).

## The agent's preferences page.
console-prefs-notifications = Notifications
console-prefs-notifications-intro = How you are told about tickets. Rows the admins set for everyone cannot be changed here.
console-prefs-col-notification = Notification
console-prefs-col-email = Email
console-prefs-col-telegram = Telegram
console-prefs-off = off
console-prefs-set-by-admins = (set by the admins)
console-prefs-telegram-needs-link = Telegram notifications reach you once you link your Telegram account below.
console-prefs-my-queues = My queues
console-prefs-my-queues-intro = New tickets, follow-ups and tickets moved in are told to you for these queues.
console-prefs-no-queues = You may read no queue.
console-prefs-save-notifications = Save notifications and queues
console-prefs-telegram = Telegram
console-prefs-telegram-intro = Link your Telegram account to get notifications there: ask for a one-time code and send it to our Telegram bot.
console-prefs-telegram-linked = Your Telegram account is linked: Telegram notifications go there.
console-prefs-telegram-unlink = Unlink Telegram
console-prefs-telegram-unlinked = Telegram is unlinked: no more notifications go there.
console-prefs-telegram-code = Your link code:
# Around "/link CODE", which stays as it is: "Send /link CODE to our Telegram bot. …"
console-prefs-telegram-send-before = Send
console-prefs-telegram-send-after = to our Telegram bot. The code works once, until { $until }.
console-prefs-telegram-get-code = Get a link code
console-prefs-telegram-another-code = Get another code

## The ticket zoom: watching, template pickers.
console-watch-watchers = Watchers
console-watch-nobody = Nobody watches this ticket.
console-watch-watch = Watch this ticket
console-watch-unwatch = Stop watching
console-watch-done-watch = You watch this ticket: you are told of its follow-ups.
console-watch-done-unwatch = You no longer watch this ticket.
console-tpl-answer = Standard answer
console-tpl-note = Standard note
console-tpl-create = Template
console-tpl-queue = Queue of the template
console-tpl-use = Use
console-tpl-show = Show its templates
console-tpl-none-for-queue = This queue has no template for new tickets.
console-tpl-subject = Subject
