## Respostas automáticas por fila, e a saudação e a assinatura em volta das respostas dos agentes.

# A resposta padrão a uma mensagem recusada pela fila (enviada só quando a fila indica uma recusa
# automática cujo texto falhou).
mail-auto-reject =
    Prezado(a) { $name },

    sua mensagem sobre o chamado { $number } ("{ $title }") não foi aceita: o chamado está fechado e não recebe mais mensagens. Para pedir algo novo, escreva uma nova mensagem sem o número do chamado no assunto.

    Sua equipe de suporte
# A resposta padrão a uma mensagem acrescentada ao seu chamado (enviada só quando a fila indica uma
# resposta automática a acompanhamentos cujo texto falhou).
mail-auto-follow-up =
    Prezado(a) { $name },

    obrigado pela sua mensagem. Ela foi acrescentada ao chamado { $number } ("{ $title }").

    Sua equipe de suporte
# A resposta padrão a uma mensagem sobre um chamado fechado que abriu um chamado novo (enviada só
# quando a fila indica uma resposta automática para isso cujo texto falhou).
mail-auto-reply-new-ticket =
    Prezado(a) { $name },

    obrigado pela sua mensagem. Ela era sobre um chamado fechado e por isso foi registrada como o novo chamado { $number } ("{ $title }"). Por favor, mantenha o número do novo chamado no assunto das próximas mensagens sobre ele.

    Sua equipe de suporte
history-auto-response-queued-named = resposta automática { $name } ({ $kind }) enfileirada para { $recipient }
history-auto-response-render-failed = a resposta automática { $name } em { $language } não pôde ser gerada (linha { $line }): { $detail }; o texto padrão foi enviado no lugar
history-reply-part-salutation = a saudação
history-reply-part-signature = a assinatura
history-reply-text-failed = { $part } { $name } em { $language } não pôde ser gerada (linha { $line }): { $detail }; a resposta foi enviada sem ela
history-reply-texts-too-long = a saudação e a assinatura deixariam a resposta longa demais; ela foi enviada sem elas
error-templates-agents-only = Só agentes usam modelos.
