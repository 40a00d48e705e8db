# The agent console (the admin screens have their own file).

console-login-title = Agent login
console-queue-view = Queue view
console-new-phone-ticket = New phone ticket
console-search = Search
console-admin = Admin
console-admin-forbidden = The admin screens need rw on group admin.

# Queue view.
console-queues = Queues
console-all-my-queues = All my queues
console-mine = Mine
console-my-locked = My locked tickets
console-my-responsible = My responsible tickets
console-queue-heading = Queue { $queue }
console-tab-open = Open
console-tab-pending = Pending
console-tab-closed = Closed
console-tab-all = All
console-sort-cut = { $total } tickets: the { $gathered } most recently changed are sorted here. Choose a queue to see fewer.
console-sorted-by-age = Sorted by age.
console-sorted-by-priority = Sorted by priority.
console-sort-by-age = Sort by age
console-sort-by-priority = Sort by priority
console-newest-first = Newest change first.
console-no-tickets-here = No tickets here.
console-caption-sorted =
    { $count ->
        [one] 1 ticket, page { $page } of { $pages }
       *[other] { $count } tickets, page { $page } of { $pages }
    }
console-caption-recent =
    { $count ->
        [one] 1 ticket, newest change first
       *[other] { $count } tickets, newest change first
    }
console-owner = Owner
console-age = Age
console-locked = locked
console-unlocked = unlocked
console-first-page = First page
console-previous-page = Previous page
console-next-page = Next page
console-cursor-malformed = The page link is malformed; start from the first page.
# A ticket's age in its two largest units.
console-age-days-hours =
    { $days ->
        [one] 1 day
       *[other] { $days } days
    } { $hours ->
        [one] 1 hour
       *[other] { $hours } hours
    }
console-age-hours-minutes =
    { $hours ->
        [one] 1 hour
       *[other] { $hours } hours
    } { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    }
console-age-minutes =
    { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    }

# Search.
console-search-tickets = Search tickets
console-search-no-ticket = No ticket { $number } that you may see.
console-ticket-number = Ticket number
console-search-words = Words in title or text
console-customer-id = Customer ID
console-search-button = Search
console-search-none = No tickets found.

# New phone ticket.
console-phone-find = Find the customer user (login, name or email)
console-phone-none-found = No customer user found.
console-phone-pick = Pick a customer user
console-name = Name
console-email = Email
console-phone = Phone
console-phone-for = For
console-phone-for-details = { $login }, customer { $customer }
console-choose-queue = (choose a queue)
console-text = Text
console-create-phone-ticket = Create phone ticket
console-customer-user-not-found = There is no customer user { $login }.

# Ticket zoom.
console-done-reply = The reply was added.
console-done-note = The note was added.
console-done-state = The state was changed.
console-done-priority = The priority was changed.
console-done-queue = The ticket was moved.
console-done-owner = The owner was changed.
console-done-responsible = The responsible agent was changed.
console-done-lock = The ticket was locked.
console-done-unlock = The ticket was unlocked.
console-done-merge = The ticket was merged.
console-done-created = The ticket was created.
console-lock = Lock
console-responsible = Responsible
console-channel = Channel
console-created = Created
console-pending-until = Pending until
console-address = Address
console-no-other-tickets = No other tickets of this customer user.
console-other-tickets-user = Other tickets of this customer user
console-other-tickets-customer = Other tickets of this customer
console-actions = Actions
console-reply = Reply
console-reply-hint = Visible to the customer and sent on the ticket's reply channel (it came in by { $channel }).
console-reply-text = Reply text
console-internal-note = Internal note
console-note-text = Note text
console-add-note = Add note
console-new-state = New state
console-pending-until-input = Pending until ({ $zone }, for pending states)
console-change-state = Change state
console-new-priority = New priority
console-change-priority = Change priority
console-move = Move
console-into-queue = Into queue
console-move-ticket = Move ticket
console-new-owner = New owner
console-nobody = (nobody)
console-change-owner = Change owner
console-unlock-ticket = Unlock ticket
console-lock-ticket = Lock ticket
console-new-responsible = New responsible agent
console-change-responsible = Change responsible
console-merge = Merge
console-merge-into = Merge into ticket number
console-read-only = You may read this ticket but not change it.
console-articles = Articles ({ $count })
console-internal = internal
# "customer via email", "agent via phone"…
console-article-via = { $sender } via { $channel }
console-history = History
console-when = When
console-who = Who
console-what = What
console-pending-time-invalid = The pending time is not a date and time.
console-priority-invalid = The priority must be 1 to 5.
console-no-such-action = There is no action “{ $action }”.

# Preferences.
console-time-zone = Time zone
console-time-zone-placeholder = e.g. America/Sao_Paulo
console-time-zone-hint = Empty: the system's time zone ({ $zone }).
console-preferences-bad-time-zone = “{ $zone }” is not a time zone name such as America/Sao_Paulo.
