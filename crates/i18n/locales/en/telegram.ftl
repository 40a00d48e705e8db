# The Telegram bot: its answers in the chat and its command menu.

## Command help (/start, /help) and the command menu (setMyCommands; short, no final period).

telegram-help =
    Write your question and I open a ticket for it; your next messages go to the same ticket. Agents' answers arrive here, each tagged with the ticket number.

    /new <subject> - open a new ticket
    /tickets - your open tickets
    /ticket <number> - show a ticket and make it the active one
    /close - close the active ticket
    /link <code> - link this chat to your customer account (code from the portal)
    /language <language> - the language I answer in ({ $languages }, or "auto")
    /help - this text

    Reply to one of my messages to write to the ticket it names. Photos and documents are attached to the ticket.
telegram-command-new = open a ticket
telegram-command-tickets = your open tickets
telegram-command-ticket = show a ticket
telegram-command-close = close the active ticket
telegram-command-link = link your customer account
telegram-command-language = choose the language I answer in
telegram-command-help = help

## Greeting and commands.

telegram-greeting = Hello { $name }! This is the help desk.
telegram-unknown-command = I don't know the command /{ $command }.
telegram-linked-account-note = This chat is linked to your account { $login }.
telegram-registered-only = Hello! This help desk serves registered customers only. Get a link code in the customer portal and send /link <code>.
telegram-something-went-wrong = Sorry, something went wrong with that message. Please try again later.

## Linking (/link, /start <code>).

telegram-link-usage = Send /link <code> with the code the portal shows you.
telegram-linked = Linked: you now write as { $name } ({ $login }). /tickets lists your tickets.
telegram-link-code-invalid = This link code is unknown, used or expired. Get a new one in the portal.
telegram-link-user-unavailable = The account this code belongs to cannot be used. Please contact support.

## Language (/language).

telegram-language-current = I answer you in { $language }. Send /language <language> to change it ({ $languages }), or /language auto to follow your Telegram app.
telegram-language-set = Done: I answer you in { $language } from now on.
telegram-language-auto = Done: I answer you in the language of your Telegram app from now on.
telegram-language-unknown = I don't speak "{ $asked }". Languages I speak: { $languages }.
telegram-language-no-account = Only registered customers can choose a language. Get a link code in the customer portal and send /link <code>.
telegram-language-refused = Your language was not changed: { $reason }

## Tickets (/new, /tickets, /ticket, /close).

telegram-new-ask-subject = What is it about? Your next message opens a new ticket.
telegram-new-ask-description = New ticket "{ $subject }": now send the description; your next message opens it.
telegram-no-tickets-yet = You have no tickets yet. Write a message to open one.
telegram-no-open-tickets = You have no open tickets. Write a message to open one.
telegram-open-tickets = Your open tickets:
telegram-ticket-line = { $ticket } { $title } - { $state }
telegram-ticket-line-active = { $ticket } { $title } - { $state } (active)
telegram-more-in-portal = (more in the portal)
telegram-tickets-hint = /ticket <number> shows one and makes it active.
telegram-ticket-usage = Send /ticket <number>; /tickets lists yours.
telegram-ticket-not-found = Ticket { $number } not found.
telegram-ticket-state = State: { $state }
telegram-ticket-now-active = This is now your active ticket: your messages go to it.
telegram-close-no-active = No active ticket. Pick one with /ticket <number>; /tickets lists yours.
telegram-closed = { $ticket } is closed ({ $state }). Thank you! A new message opens a new ticket.
telegram-close-denied = You may not close { $ticket }: { $reason }
telegram-close-failed = { $ticket } was not closed: { $reason }

## Messages and files.

telegram-no-active-ticket = You have no active ticket. Open one with /new <subject>, or pick one with /tickets.
telegram-ticket-opened =
    { $ticket } opened: { $title }
    Your next messages here go to this ticket. /new opens another, /tickets lists yours.
telegram-added = Added to { $ticket } ({ $state }).
telegram-not-added =
    Your message was not added to { $ticket }: { $reason }
    Send it again to open a new ticket, or use /new.
telegram-not-accepted = Your message was not accepted: { $reason }
telegram-intake-refused = Sorry, your message could not be taken: { $reason }
telegram-file-too-large = The file { $name } is too large ({ $size } bytes; at most { $limit } bytes) and was not attached.
telegram-file-unavailable = The file { $name } could not be fetched from Telegram and was not attached.

## Ticket states as the bot shows them; a state the system adds under another name is shown as named.

telegram-state-new = new
telegram-state-open = open
telegram-state-closed-successful = closed successful
telegram-state-closed-unsuccessful = closed unsuccessful
telegram-state-pending-reminder = pending reminder
telegram-state-pending-auto-close-plus = pending auto close+
telegram-state-pending-auto-close-minus = pending auto close-
telegram-state-merged = merged
telegram-state-removed = removed
