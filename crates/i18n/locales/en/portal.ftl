# The customer portal.

portal-my-tickets = My tickets
portal-new-ticket = New ticket
portal-link-telegram = Link Telegram
portal-no-tickets = No tickets yet.
portal-open-one = Open one
portal-company = company
portal-more-tickets = More tickets
portal-no-queues = You may not open tickets here yet. Please contact the help desk.
portal-message = Message
portal-open-ticket = Open ticket
portal-opened = Opened
portal-your-reply = Your reply
portal-reply-rejected = Your reply was not accepted: { $reason }
portal-reply-forbidden = You cannot reply to this ticket: { $reason }
portal-link-telegram-intro = Link your Telegram account to this login, and the tickets you open or answer in the chat are yours here too.
portal-link-code = Your link code:
# Around "/link CODE", which stays as it is: "Send /link CODE to our Telegram bot. …"
portal-link-send-before = Send
portal-link-send-after = to our Telegram bot. The code works once, until { $until }.
portal-link-ask = Ask for a one-time code, then send it to our Telegram bot as
# The placeholder for the code in "/link CODE".
portal-link-code-placeholder = CODE
portal-link-another-code = Get another code
portal-link-get-code = Get a link code
