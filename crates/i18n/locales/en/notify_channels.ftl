# Agent notifications by chat: linking an agent's Telegram chat.

telegram-agent-linked = Linked: this chat now receives the notifications of { $name } ({ $login }). Choose which ones come here under Preferences in the console.
telegram-agent-link-private-only = An agent's code works only in a private chat with me.
telegram-agent-chat-not-a-ticket = This chat receives your notifications as an agent; nothing you write here opens or answers a ticket. Answer in the console: { $console }
