# Texts the system writes in mail, in the recipient's language. Agents' own replies are never translated.

# The automatic answer to a new ticket opened by mail.
mail-auto-response =
    Dear { $name },

    thank you for your message. Your request has been registered as ticket { $number } ("{ $title }"). Please keep the ticket number in the subject of further messages about it.

    Your support team
# The sender's display name on mail the system writes itself (auto-responses).
mail-from-system = Support
