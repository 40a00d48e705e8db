# What every page shares: the layout, the error page, logins, shared labels, and the names of the
# default states, priorities, senders and channels.

page-nav-main = Main
page-log-out = Log out
page-log-in = Log in
page-login = Login
page-password = Password
page-login-wrong = Login or password is wrong.
page-login-throttled =
    { $seconds ->
        [one] Too many login attempts; try again in 1 second.
       *[other] Too many login attempts; try again in { $seconds } seconds.
    }
page-back-portal = Back to my tickets
page-back-console = Back to the queue view

# Error page titles, by the problem's stable code.
page-problem-not-found = Not found
page-problem-forbidden = Permission denied
page-problem-unauthorized = Authentication required
page-problem-validation = Invalid input
page-problem-conflict = Conflict
page-problem-invalid-transition = Invalid state change
page-problem-rejected = Not accepted
page-problem-too-large = Too large
page-problem-too-many-attempts = Too many login attempts
page-problem-unavailable = Temporarily unavailable
page-problem-unsupported = Not supported
page-problem-malformed = Malformed request
page-problem-internal = Internal error
page-problem-other = Error

# Problems found by the pages themselves.
page-form-forged = The form expired or did not come from this site; reload the page and try again.
page-form-mismatch = The form does not fit what this page expects; reload the page and try again.
page-form-unreadable = The form could not be read; try again.

# Labels shared by the portal and the console.
page-number = Number
page-title = Title
page-subject = Subject
page-state = State
page-priority = Priority
page-queue = Queue
page-service = Service
page-customer = Customer
page-customer-user = Customer user
page-last-change = Last change
page-attachments = Attachments
page-attach-files = Attach files
page-send-reply = Send reply
page-none-option = (none)
page-save = Save
page-ticket-title = Ticket { $number }
page-ticket-heading = Ticket { $number }: { $title }
page-tickets-count =
    { $count ->
        [one] 1 ticket
       *[other] { $count } tickets
    }

# The preferences pages of the portal and the console.
page-preferences = Preferences
page-language = Language
page-language-system-default = System default
page-preferences-saved = Your preferences were saved.
page-preferences-bad-language = “{ $language }” is not a language this help desk speaks.

# The default ticket states (OTRS names); states an admin adds are shown as named.
page-state-new = new
page-state-open = open
page-state-closed-successful = closed successful
page-state-closed-unsuccessful = closed unsuccessful
page-state-pending-reminder = pending reminder
page-state-pending-auto-close-plus = pending auto close+
page-state-pending-auto-close-minus = pending auto close-
page-state-merged = merged
page-state-removed = removed
page-state-type-new = new
page-state-type-open = open
page-state-type-pending-reminder = pending reminder
page-state-type-pending-auto = pending auto
page-state-type-closed = closed
page-state-type-merged = merged
page-state-type-removed = removed

# The default priorities.
page-priority-very-low = 1 very low
page-priority-low = 2 low
page-priority-normal = 3 normal
page-priority-high = 4 high
page-priority-very-high = 5 very high

# Who wrote an article, and the channels.
page-sender-customer = customer
page-sender-agent = agent
page-sender-system = system
page-channel-email = email
page-channel-web = web
page-channel-phone = phone
page-channel-chat = chat
page-channel-internal = internal
# What mail authentication said about a sender; $detail lists the protocols' results (DMARC fail, SPF none...).
page-sender-authenticated = authenticated sender ({ $detail })
page-sender-unauthenticated = unauthenticated sender ({ $detail })
