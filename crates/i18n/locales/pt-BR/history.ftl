# O histórico do chamado que os agentes leem no console.
history-created = chamado { $number } criado na fila { $queue } por { $channel }
history-created-by-follow-up = chamado { $number } criado por um retorno ao chamado fechado { $old }
history-article-added = artigo { $article } adicionado
history-reply-added = resposta { $article } adicionada
history-internal-note-added = nota interna { $article } adicionada
history-follow-up = retorno { $article } por { $channel }
history-follow-up-refused = retorno recusado: { $reason }
history-follow-up-opened = o retorno criou o novo chamado { $number }
history-linked-to = vinculado a { $number }
history-state-changed = estado alterado de { $from } para { $to }
history-state-changed-follow-up = estado alterado de { $from } para { $to } (retorno do cliente)
history-state-changed-pending-time = estado alterado de { $from } para { $to } (tempo pendente atingido)
history-pending-until = pendente até { $until }
history-priority-changed = prioridade alterada de { $from } para { $to }
history-title-changed = título alterado de { $from } para { $to }
history-responsible-changed = responsável: { $login }
history-responsible-cleared = responsável removido
history-owner-changed = proprietário: { $login }
history-owner-cleared = proprietário removido
history-locked = bloqueado
history-unlocked = desbloqueado
history-queue-changed = fila alterada de { $from } para { $to }
history-merged-into = mesclado ao chamado { $number }
history-merged-from = chamado { $number } mesclado a este ({ $count ->
    [one] { $count } artigo
   *[other] { $count } artigos
})
history-reminder-due = lembrete de pendência atingido
history-reply-queued-article = resposta enfileirada por { $channel } para { $recipient }: o endereço de resposta do artigo { $article } do cliente
history-reply-queued-registered = resposta enfileirada por { $channel } para { $recipient }: o endereço cadastrado do usuário cliente
history-outbound-sent = enviado por { $channel } para { $recipient }
history-outbound-failed = o envio por { $channel } para { $recipient } falhou após { $attempts ->
    [one] { $attempts } tentativa
   *[other] { $attempts } tentativas
}: { $error }
history-auto-response-machine-address = sem resposta automática para { $recipient }: endereço de sistema ou automático
history-auto-response-unauthenticated = sem resposta automática para { $recipient }: o remetente não está autenticado
history-auto-response-hourly-limit = sem resposta automática para { $recipient }: limite de { $limit } por hora atingido
history-auto-response-daily-limit = sem resposta automática para { $recipient }: limite de { $limit } por dia atingido
history-auto-response-queued = resposta automática enfileirada para { $recipient }
history-sender-authentication = artigo { $article }: { $note }
history-sender-flagged-no-from = remetente não verificado: a mensagem não tem endereço From; o remetente { $sender } foi obtido { $source }
history-sender-flagged-bad-from = remetente não verificado: o cabeçalho From { $header } não é um endereço; o remetente { $sender } foi obtido { $source }
history-sender-source-envelope = do remetente do envelope
history-sender-source-other-header = de outro cabeçalho da mensagem
history-sender-source-sanitised = de um endereço extraído do cabeçalho
history-bounce-failed = a mensagem para { $recipient } não foi entregue{ $detail }
history-bounce-reported = a mensagem para { $recipient } foi relatada{ $detail }
history-bounce-reported-as = a mensagem para { $recipient } foi relatada como { $action }{ $detail }
history-unmatched-bounce = uma devolução que não corresponde a nenhuma das nossas mensagens foi arquivada na fila { $queue }
