//! Parsing the bot's commands.

/// A command a user sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `/start` or `/start <code>`.
    Start(Option<String>),
    /// `/link <code>`.
    Link(Option<String>),
    /// `/new`, `/new <subject>` or `/new <subject>\n<body>`.
    New {
        /// The first line after the command.
        subject: String,
        /// The lines after the first.
        body: String,
    },
    /// `/tickets`.
    Tickets,
    /// `/ticket <number>`.
    Ticket(Option<String>),
    /// `/close`.
    Close,
    /// `/language` or `/language <tag>`.
    Language(Option<String>),
    /// `/help`.
    Help,
    /// Anything else starting with `/`.
    Unknown(String),
}

impl Command {
    /// The command's name, for logs (arguments such as link codes are left out).
    pub fn name(&self) -> &str {
        match self {
            Command::Start(_) => "start",
            Command::Link(_) => "link",
            Command::New { .. } => "new",
            Command::Tickets => "tickets",
            Command::Ticket(_) => "ticket",
            Command::Close => "close",
            Command::Language(_) => "language",
            Command::Help => "help",
            Command::Unknown(name) => name,
        }
    }
}

/// Parses `text` as a command. `None` when it is not one, or when it is addressed to another bot
/// (`/cmd@otherbot`). `bot_username` is the bot's own username, without `@`.
pub fn parse(text: &str, bot_username: &str) -> Option<Command> {
    let text = text.trim_start();
    let rest = text.strip_prefix('/')?;
    let (first_line, more) = match rest.split_once('\n') {
        Some((a, b)) => (a, b.trim()),
        None => (rest, ""),
    };
    let (word, args) = match first_line.split_once(char::is_whitespace) {
        Some((w, a)) => (w, a.trim()),
        None => (first_line, ""),
    };
    let name = match word.split_once('@') {
        Some((name, target)) => {
            if !target.eq_ignore_ascii_case(bot_username) {
                return None;
            }
            name
        }
        None => word,
    };
    if name.is_empty() {
        return None;
    }
    let arg = || Some(args.to_string()).filter(|a| !a.is_empty());
    Some(match name.to_ascii_lowercase().as_str() {
        "start" => Command::Start(arg()),
        "link" => Command::Link(arg()),
        "new" => {
            if args.is_empty() && !more.is_empty() {
                // `/new` then the subject on the next line.
                let (subject, body) = more.split_once('\n').unwrap_or((more, ""));
                Command::New { subject: subject.trim().to_string(), body: body.trim().to_string() }
            } else {
                Command::New { subject: args.to_string(), body: more.to_string() }
            }
        }
        "tickets" => Command::Tickets,
        "ticket" => Command::Ticket(arg().map(|a| a.trim_start_matches('#').to_string())),
        "close" => Command::Close,
        "language" => Command::Language(arg()),
        "help" => Command::Help,
        other => Command::Unknown(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands() {
        assert_eq!(parse("/start", "b"), Some(Command::Start(None)));
        assert_eq!(parse("/start ABC", "b"), Some(Command::Start(Some("ABC".into()))));
        assert_eq!(parse("/tickets@b", "b"), Some(Command::Tickets));
        assert_eq!(parse("/tickets@other", "b"), None);
        assert_eq!(parse("/ticket #123", "b"), Some(Command::Ticket(Some("123".into()))));
        assert_eq!(
            parse("/new Printer\nIt jams", "b"),
            Some(Command::New { subject: "Printer".into(), body: "It jams".into() })
        );
        assert_eq!(parse("/frobnicate", "b"), Some(Command::Unknown("frobnicate".into())));
        assert_eq!(parse("/language pt-br", "b"), Some(Command::Language(Some("pt-br".into()))));
        assert_eq!(parse("/language", "b"), Some(Command::Language(None)));
        assert_eq!(parse("hello", "b"), None);
        assert_eq!(parse("/", "b"), None);
    }
}
