# O que todas as páginas compartilham: o layout, a página de erro, logins, rótulos comuns e os nomes
# dos estados, prioridades, remetentes e canais padrão.

page-nav-main = Principal
page-log-out = Sair
page-log-in = Entrar
page-login = Login
page-password = Senha
page-login-wrong = Login ou senha incorretos.
page-login-throttled =
    { $seconds ->
        [one] Tentativas de login demais; tente novamente em 1 segundo.
       *[other] Tentativas de login demais; tente novamente em { $seconds } segundos.
    }
page-back-portal = Voltar para meus chamados
page-back-console = Voltar para a visão de filas

page-problem-not-found = Não encontrado
page-problem-forbidden = Permissão negada
page-problem-unauthorized = Autenticação necessária
page-problem-validation = Dados inválidos
page-problem-conflict = Conflito
page-problem-invalid-transition = Mudança de estado inválida
page-problem-rejected = Não aceito
page-problem-too-large = Grande demais
page-problem-too-many-attempts = Tentativas de login demais
page-problem-unavailable = Indisponível no momento
page-problem-unsupported = Não suportado
page-problem-malformed = Requisição malformada
page-problem-internal = Erro interno
page-problem-other = Erro

page-form-forged = O formulário expirou ou não veio deste site; recarregue a página e tente novamente.
page-form-mismatch = O formulário não corresponde ao que esta página espera; recarregue a página e tente novamente.
page-form-unreadable = Não foi possível ler o formulário; tente novamente.

page-number = Número
page-title = Título
page-subject = Assunto
page-state = Estado
page-priority = Prioridade
page-queue = Fila
page-service = Serviço
page-customer = Cliente
page-customer-user = Usuário cliente
page-last-change = Última alteração
page-attachments = Anexos
page-attach-files = Anexar arquivos
page-send-reply = Enviar resposta
page-none-option = (nenhum)
page-save = Salvar
page-ticket-title = Chamado { $number }
page-ticket-heading = Chamado { $number }: { $title }
page-tickets-count =
    { $count ->
        [0] nenhum chamado
        [one] 1 chamado
       *[other] { $count } chamados
    }

page-preferences = Preferências
page-language = Idioma
page-language-system-default = Padrão do sistema
page-preferences-saved = Suas preferências foram salvas.
page-preferences-bad-language = “{ $language }” não é um idioma que este help desk fala.

page-state-new = novo
page-state-open = aberto
page-state-closed-successful = fechado com êxito
page-state-closed-unsuccessful = fechado sem êxito
page-state-pending-reminder = lembrete pendente
page-state-pending-auto-close-plus = pendente fechamento automático+
page-state-pending-auto-close-minus = pendente fechamento automático-
page-state-merged = mesclado
page-state-removed = removido
page-state-type-new = novo
page-state-type-open = aberto
page-state-type-pending-reminder = lembrete pendente
page-state-type-pending-auto = pendente automático
page-state-type-closed = fechado
page-state-type-merged = mesclado
page-state-type-removed = removido

page-priority-very-low = 1 muito baixo
page-priority-low = 2 baixo
page-priority-normal = 3 normal
page-priority-high = 4 alto
page-priority-very-high = 5 muito alto

page-sender-customer = cliente
page-sender-agent = agente
page-sender-system = sistema
page-channel-email = e-mail
page-channel-web = web
page-channel-phone = telefone
page-channel-chat = chat
page-channel-internal = interno
page-sender-authenticated = remetente autenticado ({ $detail })
page-sender-unauthenticated = remetente não autenticado ({ $detail })
