//! What the bot says.

/// The command overview, shown by `/start`, `/help` and for unknown commands.
pub const HELP: &str = "\
Write your question and I open a ticket for it; your next messages go to the same ticket. \
Agents' answers arrive here, each tagged with the ticket number.

/new <subject> - open a new ticket
/tickets - your open tickets
/ticket <number> - show a ticket and make it the active one
/close - close the active ticket
/link <code> - link this chat to your customer account (code from the portal)
/help - this text

Reply to one of my messages to write to the ticket it names. Photos and documents are attached to the ticket.";

/// The greeting of `/start`.
pub fn greeting(name: &str) -> String {
    format!("Hello {name}! This is the help desk.\n\n{HELP}")
}

/// The answer to an unknown command.
pub fn unknown_command(name: &str) -> String {
    format!("I don't know the command /{name}.\n\n{HELP}")
}
