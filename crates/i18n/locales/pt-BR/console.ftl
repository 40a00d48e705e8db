# O console do agente (as telas de administração têm arquivo próprio).

console-login-title = Login do agente
console-queue-view = Visão de filas
console-new-phone-ticket = Novo chamado por telefone
console-search = Pesquisa
console-admin = Administração
console-admin-forbidden = As telas de administração exigem rw no grupo admin.

console-queues = Filas
console-all-my-queues = Todas as minhas filas
console-mine = Meus
console-my-locked = Meus chamados bloqueados
console-my-responsible = Chamados sob minha responsabilidade
console-queue-heading = Fila { $queue }
console-tab-open = Abertos
console-tab-pending = Pendentes
console-tab-closed = Fechados
console-tab-all = Todos
console-sort-cut = { $total } chamados: os { $gathered } alterados mais recentemente estão ordenados aqui. Escolha uma fila para ver menos.
console-sorted-by-age = Ordenado por idade.
console-sorted-by-priority = Ordenado por prioridade.
console-sort-by-age = Ordenar por idade
console-sort-by-priority = Ordenar por prioridade
console-newest-first = Alteração mais recente primeiro.
console-no-tickets-here = Nenhum chamado aqui.
console-caption-sorted =
    { $count ->
        [one] 1 chamado, página { $page } de { $pages }
       *[other] { $count } chamados, página { $page } de { $pages }
    }
console-caption-recent =
    { $count ->
        [one] 1 chamado, alteração mais recente primeiro
       *[other] { $count } chamados, alteração mais recente primeiro
    }
console-owner = Proprietário
console-age = Idade
console-locked = bloqueado
console-unlocked = desbloqueado
console-first-page = Primeira página
console-previous-page = Página anterior
console-next-page = Próxima página
console-cursor-malformed = O link da página está malformado; comece pela primeira página.
console-age-days-hours =
    { $days ->
        [one] 1 dia
       *[other] { $days } dias
    } { $hours ->
        [one] 1 hora
       *[other] { $hours } horas
    }
console-age-hours-minutes =
    { $hours ->
        [one] 1 hora
       *[other] { $hours } horas
    } { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    }
console-age-minutes =
    { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    }

console-search-tickets = Pesquisar chamados
console-search-no-ticket = Nenhum chamado { $number } que você possa ver.
console-ticket-number = Número do chamado
console-search-words = Palavras no título ou no texto
console-customer-id = ID do cliente
console-search-button = Pesquisar
console-search-none = Nenhum chamado encontrado.

console-phone-find = Encontre o usuário cliente (login, nome ou e-mail)
console-phone-none-found = Nenhum usuário cliente encontrado.
console-phone-pick = Escolha um usuário cliente
console-name = Nome
console-email = E-mail
console-phone = Telefone
console-phone-for = Para
console-phone-for-details = { $login }, cliente { $customer }
console-choose-queue = (escolha uma fila)
console-text = Texto
console-create-phone-ticket = Criar chamado por telefone
console-customer-user-not-found = Não existe o usuário cliente { $login }.

console-done-reply = A resposta foi adicionada.
console-done-note = A nota foi adicionada.
console-done-state = O estado foi alterado.
console-done-priority = A prioridade foi alterada.
console-done-queue = O chamado foi movido.
console-done-owner = O proprietário foi alterado.
console-done-responsible = O responsável foi alterado.
console-done-lock = O chamado foi bloqueado.
console-done-unlock = O chamado foi desbloqueado.
console-done-merge = O chamado foi mesclado.
console-done-created = O chamado foi criado.
console-lock = Bloqueio
console-responsible = Responsável
console-channel = Canal
console-created = Criado em
console-pending-until = Pendente até
console-address = Endereço
console-no-other-tickets = Nenhum outro chamado deste usuário cliente.
console-other-tickets-user = Outros chamados deste usuário cliente
console-other-tickets-customer = Outros chamados deste cliente
console-actions = Ações
console-reply = Responder
console-reply-hint = Visível para o cliente e enviada pelo canal de resposta do chamado (ele chegou por { $channel }).
console-reply-text = Texto da resposta
console-internal-note = Nota interna
console-note-text = Texto da nota
console-add-note = Adicionar nota
console-new-state = Novo estado
console-pending-until-input = Pendente até ({ $zone }, para estados pendentes)
console-change-state = Alterar estado
console-new-priority = Nova prioridade
console-change-priority = Alterar prioridade
console-move = Mover
console-into-queue = Para a fila
console-move-ticket = Mover chamado
console-new-owner = Novo proprietário
console-nobody = (ninguém)
console-change-owner = Alterar proprietário
console-unlock-ticket = Desbloquear chamado
console-lock-ticket = Bloquear chamado
console-new-responsible = Novo responsável
console-change-responsible = Alterar responsável
console-merge = Mesclar
console-merge-into = Mesclar com o chamado número
console-read-only = Você pode ler este chamado, mas não alterá-lo.
console-articles = Artigos ({ $count })
console-internal = interno
console-article-via = { $sender } via { $channel }
console-history = Histórico
console-when = Quando
console-who = Quem
console-what = O quê
console-pending-time-invalid = O horário pendente não é uma data e hora.
console-priority-invalid = A prioridade deve ser de 1 a 5.
console-no-such-action = Não existe a ação “{ $action }”.

console-time-zone = Fuso horário
console-time-zone-placeholder = ex.: America/Sao_Paulo
console-time-zone-hint = Vazio: o fuso horário do sistema ({ $zone }).
console-preferences-bad-time-zone = “{ $zone }” não é um nome de fuso horário como America/Sao_Paulo.
