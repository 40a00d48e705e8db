## As telas de administração de webhooks no console: as assinaturas, seus segredos, suas entregas e
## reenvios.

admin-webhook-webhooks = Webhooks
admin-webhook-webhook = Webhook { $id }
admin-webhook-webhooks-intro = Cada webhook recebe os eventos que assina como requisições HTTP assinadas (Standard Webhooks), em ordem por chamado, repetidas por um dia antes de virarem mensagens mortas.
admin-webhook-webhooks-none = Nenhum webhook ainda.
admin-webhook-webhooks-add = Adicionar webhook
admin-webhook-webhooks-all = Todos os webhooks
admin-webhook-backlog = { $count ->
    [one] Uma entrega aguarda envio.
   *[other] { $count } entregas aguardam envio.
}
admin-webhook-counted = entre as últimas { $count } entregas
admin-webhook-col-state = Situação
admin-webhook-col-pending = Aguardando
admin-webhook-col-dead = Mensagens mortas
admin-webhook-enabled = ativo
admin-webhook-disabled = desativado
admin-webhook-disabled-because = Desativado pelo help desk: { $reason }. Marque "Ativo" e salve para voltar a enviar; reenvie as mensagens mortas abaixo.

## O formulário.
admin-webhook-field-url = URL
admin-webhook-field-events = Eventos
admin-webhook-field-queues = Só chamados nestas filas
admin-webhook-field-groups = Só chamados em filas destes grupos
admin-webhook-filters-hint = Os filtros valem para eventos de chamados; nenhum escolhido significa todas as filas. Eventos de clientes os ignoram.
admin-webhook-field-description = Descrição
admin-webhook-field-concurrency = Requisições simultâneas no máximo
admin-webhook-field-timeout = Tempo limite (milissegundos)
admin-webhook-field-enabled = Ativo
admin-webhook-field-secret = Segredo de assinatura
admin-webhook-secret-hint = Deixe vazio para gerar um (whsec_ e base64 de 24 a 64 bytes). Ele é mostrado uma só vez.
admin-webhook-number-invalid = { $field }: { $value } não é um número inteiro
admin-webhook-event-ticket-created = um chamado foi aberto
admin-webhook-event-article-added = um artigo foi adicionado
admin-webhook-event-state-changed = o estado mudou
admin-webhook-event-queue-changed = o chamado mudou de fila
admin-webhook-event-owner-changed = o proprietário mudou
admin-webhook-event-responsible-changed = o responsável mudou
admin-webhook-event-priority-changed = a prioridade mudou
admin-webhook-event-lock-changed = bloqueado ou desbloqueado
admin-webhook-event-title-changed = o título mudou
admin-webhook-event-ticket-customer-changed = o cliente do chamado mudou
admin-webhook-event-service-changed = o serviço mudou
admin-webhook-event-sla-changed = o SLA mudou
admin-webhook-event-merged = chamados foram mesclados
admin-webhook-event-escalation-warning = um relógio de escalonamento chegou ao ponto de aviso
admin-webhook-event-escalation-breach = um relógio de escalonamento venceu
admin-webhook-event-customer-changed = um cliente foi adicionado ou alterado
admin-webhook-event-customer-user-changed = um usuário cliente foi adicionado ou alterado

## Segredos.
admin-webhook-secrets = Segredos de assinatura
admin-webhook-secrets-intro = Todo segredo que não expirou assina cada requisição. Para trocar, adicione um segredo, entregue-o ao receptor e deixe os antigos expirarem.
admin-webhook-col-added = Adicionado
admin-webhook-col-expires = Deixa de assinar
admin-webhook-secret-never = nunca
admin-webhook-secret-expired = expirou { $when }
admin-webhook-field-expire-hours = Segredos antigos deixam de assinar em (horas)
admin-webhook-expire-hint = Deixe vazio para que os segredos antigos continuem assinando.
admin-webhook-expire-too-late = { $value } horas: segredos antigos devem expirar em até um ano
admin-webhook-add-secret = Adicionar um segredo
admin-webhook-secret-heading = Novo segredo do webhook { $id }
admin-webhook-secret-copy-now = Copie este segredo agora e entregue-o ao receptor: ele não será mostrado de novo.
admin-webhook-secret-back = Voltar ao webhook

## Excluir.
admin-webhook-delete = Excluir este webhook
admin-webhook-delete-heading = Excluir o webhook { $id }?
admin-webhook-delete-explain = Nada mais será enviado a { $url }; o que ainda aguarda vira mensagem morta.
admin-webhook-delete-button = Excluir
admin-webhook-cancel = Cancelar

## Entregas.
admin-webhook-deliveries = Entregas
admin-webhook-deliveries-heading = Entregas do webhook { $id }
admin-webhook-deliveries-none = Nada foi enviado ainda.
admin-webhook-back = O webhook
admin-webhook-older = Entregas anteriores
admin-webhook-col-event = Evento
admin-webhook-col-ticket = Chamado
admin-webhook-col-status = Situação
admin-webhook-col-attempts = Tentativas
admin-webhook-col-next = Próxima tentativa
admin-webhook-col-queued = Enfileirada
admin-webhook-col-attempt-at = Tentativa
admin-webhook-col-http = HTTP
admin-webhook-col-latency = Latência
admin-webhook-col-error = Erro
admin-webhook-latency = { $ms } ms
admin-webhook-status-pending = aguardando
admin-webhook-status-sent = enviada
admin-webhook-status-dead = mensagem morta
admin-webhook-replays = { $count ->
    [one] reenviada uma vez
   *[other] reenviada { $count } vezes
}
admin-webhook-replay = Enviar de novo
admin-webhook-replayed = { $count ->
    [0] Nada a reenviar nesse intervalo.
    [one] Uma entrega será enviada de novo.
   *[other] { $count } entregas serão enviadas de novo.
}
admin-webhook-replay-range = Reenviar um intervalo de tempo
admin-webhook-replay-range-hint = Toda entrega enfileirada no intervalo que ainda não aguarda é enviada de novo, com o mesmo webhook-id, para que os receptores reconheçam repetições.
admin-webhook-field-from = De
admin-webhook-field-to = Até (exclusive)
admin-webhook-field-only-failed = Só mensagens mortas
admin-webhook-replay-range-button = Enviar de novo
admin-webhook-time-invalid = { $value } não é uma data e hora
admin-webhook-range-invalid = O intervalo deve terminar depois de começar.
