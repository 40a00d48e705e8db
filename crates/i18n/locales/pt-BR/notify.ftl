## Notificações de atendentes: os textos enviados quando os administradores não escreveram nenhum (ou o
## deles não funcionou), e o que o histórico do chamado diz sobre elas.

# Assuntos: { $tag } é o número marcado do chamado, p. ex. [Ticket#2026120610000017].
notify-subject-new-ticket = { $tag } Novo chamado: { $title }
notify-subject-follow-up = { $tag } Resposta do cliente: { $title }
notify-subject-lock-timeout = { $tag } Bloqueio expirado: { $title }
notify-subject-owner-set = { $tag } Você é o proprietário: { $title }
notify-subject-responsible-set = { $tag } Você é o responsável: { $title }
notify-subject-reminder-due = { $tag } Lembrete pendente vencido: { $title }
notify-subject-moved-into-my-queue = { $tag } Movido para { $queue }: { $title }
notify-subject-escalation-warning = { $tag } Aviso de escalonamento: { $title }
notify-subject-escalation-breach = { $tag } Escalonamento: { $title }
notify-subject-bounced = { $tag } Resposta devolvida: { $title }

notify-body-new-ticket = Um novo chamado foi aberto na fila { $queue }: chamado { $number }, "{ $title }".
notify-body-follow-up = O cliente escreveu de novo no chamado { $number }, "{ $title }" (fila { $queue }).
notify-body-lock-timeout = Seu bloqueio do chamado { $number }, "{ $title }" (fila { $queue }), expirou: o chamado foi desbloqueado.
notify-body-owner-set = Agora você é o proprietário do chamado { $number }, "{ $title }" (fila { $queue }).
notify-body-responsible-set = Agora você é o responsável pelo chamado { $number }, "{ $title }" (fila { $queue }).
notify-body-reminder-due = O lembrete pendente do chamado { $number }, "{ $title }" (fila { $queue }), venceu.
notify-body-moved-into-my-queue = O chamado { $number }, "{ $title }", foi movido para a fila { $queue }, uma das suas filas.
notify-body-escalation-warning = O chamado { $number }, "{ $title }" (fila { $queue }), está prestes a descumprir seu nível de serviço.
notify-body-escalation-breach = O chamado { $number }, "{ $title }" (fila { $queue }), descumpriu seu nível de serviço.
notify-body-bounced = Uma resposta no chamado { $number }, "{ $title }" (fila { $queue }), não pôde ser entregue: foi devolvida.
notify-body-by = Por: { $actor }
notify-body-article = Mensagem de { $from }:
notify-body-link = Abrir o chamado: { $url }

history-notification-queued = notificação "{ $kind }" enfileirada para { $recipients }
history-notification-sent = notificação "{ $kind }" para { $agent } enviada por { $channel }
history-notification-text-failed = o texto da notificação "{ $kind }" em { $language } não funciona (linha { $line }): { $detail }; o texto simples foi enviado para { $agent }
history-lock-timed-out = desbloqueio: o bloqueio expirou
