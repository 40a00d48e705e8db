# Notificações de agentes por chat: vincular o chat do Telegram de um agente.

telegram-agent-linked = Vinculado: este chat agora recebe as notificações de { $name } ({ $login }). Escolha quais chegam aqui em Preferências, no console.
telegram-agent-link-private-only = O código de um agente só funciona em um chat privado comigo.
telegram-agent-chat-not-a-ticket = Este chat recebe as suas notificações de atendente; nada que você escreva aqui abre ou responde um chamado. Responda pelo console: { $console }
