## Auto-responses per queue, and the salutation and signature around agents' replies.

# The shipped answer to a follow-up refused by the queue (sent only when the queue names an
# auto-reject whose text failed).
mail-auto-reject =
    Dear { $name },

    your message about ticket { $number } ("{ $title }") was not accepted: the ticket is closed and takes no further messages. To ask something new, please write a new message without the ticket number in the subject.

    Your support team
# The shipped answer to a follow-up taken into its ticket (sent only when the queue names an
# auto-follow-up whose text failed).
mail-auto-follow-up =
    Dear { $name },

    thank you for your message. It was added to ticket { $number } ("{ $title }").

    Your support team
# The shipped answer to a follow-up on a closed ticket that opened a new one (sent only when the queue
# names an auto-reply/new ticket whose text failed).
mail-auto-reply-new-ticket =
    Dear { $name },

    thank you for your message. It was about a closed ticket, so it has been registered as the new ticket { $number } ("{ $title }"). Please keep the new ticket number in the subject of further messages about it.

    Your support team
history-auto-response-queued-named = auto-response { $name } ({ $kind }) queued to { $recipient }
history-auto-response-render-failed = auto-response { $name } in { $language } did not render (line { $line }): { $detail }; the shipped text was sent instead
history-reply-part-salutation = salutation
history-reply-part-signature = signature
history-reply-text-failed = the { $part } { $name } in { $language } did not render (line { $line }): { $detail }; the reply was sent without it
history-reply-texts-too-long = the salutation and signature would make the reply too long; it was sent without them
error-templates-agents-only = Only agents use templates.
