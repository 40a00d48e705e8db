# Shared by every surface: the language's own name, how times are written, counts.

# What a language picker shows for this language, in the language itself.
common-language-name = English
# strftime formats (https://docs.rs/jiff/latest/jiff/fmt/strtime/) of a date and time, and of a date.
common-datetime-format = %Y-%m-%d %H:%M
common-date-format = %Y-%m-%d
common-tickets-count =
    { $count ->
        [one] 1 ticket
       *[other] { $count } tickets
    }
