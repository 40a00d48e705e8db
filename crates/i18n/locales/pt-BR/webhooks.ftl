# Assinaturas de webhook e o fluxo de eventos (motor).
error-noun-webhook = webhook
error-field-webhook-name = o id do webhook
error-webhook-id = o id de um webhook deve ter de 1 a 100 caracteres
error-webhook-url = a URL do webhook deve ser uma URL http ou https com um host, sem usuário nem senha
error-webhook-private-target = a URL do webhook aponta para um endereço privado, de loopback ou link-local ({ $host }); um administrador precisa permitir destinos privados antes
error-webhook-no-events = um webhook deve assinar pelo menos um evento
error-webhook-no-secret = um webhook precisa de pelo menos um segredo de assinatura
error-webhook-secret = um segredo de webhook deve ser whsec_ seguido de 24 a 64 bytes em base64
error-webhook-concurrency = a concorrência de um webhook deve ser de 1 a 64 requisições
error-webhook-timeout = o tempo limite de um webhook deve ser de 100 a 60000 milissegundos
error-webhook-description = a descrição de um webhook tem no máximo 1000 caracteres
error-webhook-not-found = não há webhook { $id }
error-webhook-delivery-not-found = não há entrega { $id } deste webhook
error-event-feed-agents-only = o fluxo de eventos é para atendentes
