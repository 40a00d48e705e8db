## Agent notifications: the texts sent when the admins wrote none (or theirs did not render), and what
## the ticket history says about them.

# Subjects: { $tag } is the ticket's tagged number, e.g. [Ticket#2026120610000017].
notify-subject-new-ticket = { $tag } New ticket: { $title }
notify-subject-follow-up = { $tag } Follow-up: { $title }
notify-subject-lock-timeout = { $tag } Lock timeout: { $title }
notify-subject-owner-set = { $tag } You are the owner: { $title }
notify-subject-responsible-set = { $tag } You are responsible: { $title }
notify-subject-reminder-due = { $tag } Pending reminder due: { $title }
notify-subject-moved-into-my-queue = { $tag } Moved into { $queue }: { $title }
notify-subject-escalation-warning = { $tag } Escalation warning: { $title }
notify-subject-escalation-breach = { $tag } Escalation: { $title }
notify-subject-bounced = { $tag } Reply bounced: { $title }

notify-body-new-ticket = A new ticket was opened in queue { $queue }: ticket { $number }, "{ $title }".
notify-body-follow-up = The customer wrote again on ticket { $number }, "{ $title }" (queue { $queue }).
notify-body-lock-timeout = Your lock on ticket { $number }, "{ $title }" (queue { $queue }), ran out: the ticket is unlocked.
notify-body-owner-set = You are now the owner of ticket { $number }, "{ $title }" (queue { $queue }).
notify-body-responsible-set = You are now responsible for ticket { $number }, "{ $title }" (queue { $queue }).
notify-body-reminder-due = The pending reminder of ticket { $number }, "{ $title }" (queue { $queue }), is due.
notify-body-moved-into-my-queue = Ticket { $number }, "{ $title }", was moved into queue { $queue }, one of your queues.
notify-body-escalation-warning = Ticket { $number }, "{ $title }" (queue { $queue }), is about to miss its service level.
notify-body-escalation-breach = Ticket { $number }, "{ $title }" (queue { $queue }), missed its service level.
notify-body-bounced = A reply on ticket { $number }, "{ $title }" (queue { $queue }), could not be delivered: it bounced.
notify-body-by = By: { $actor }
notify-body-article = Message from { $from }:
notify-body-link = Open the ticket: { $url }

history-notification-queued = notification "{ $kind }" queued for { $recipients }
history-notification-sent = notification "{ $kind }" to { $agent } sent by { $channel }
history-notification-text-failed = the text of notification "{ $kind }" in { $language } does not render (line { $line }): { $detail }; the plain text went to { $agent }
history-lock-timed-out = unlock: the lock timed out
