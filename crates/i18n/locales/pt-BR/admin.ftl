# As telas de administração (/admin): menu, títulos, listas, formulários, avisos e recusas.
# Vocabulário do guia de administração do OTRS: Usuário cliente, Clientes, Grupos, Serviços…

## Moldura e menu
admin-title = Administração
admin-menu-customers = Clientes
admin-menu-customer-users = Usuários clientes
admin-menu-default-groups = Grupos padrão
admin-menu-default-services = Serviços padrão
admin-menu-agents = Agentes
admin-menu-roles = Papéis
admin-menu-groups = Grupos
admin-menu-queues = Filas
admin-menu-services = Serviços
admin-menu-states = Estados
admin-menu-priorities = Prioridades
admin-index-choose = Escolha uma tela acima.

## Avisos depois de uma alteração
admin-notice-saved = Salvo.
admin-notice-done = Concluído.

## Botões e palavras comuns
admin-save = Salvar
admin-save-and-finish = Salvar e concluir
admin-search = Pesquisar
admin-cancel = Cancelar
admin-valid = válido
admin-invalid = inválido
admin-none-choice = (nenhum)
admin-language-default = Padrão do sistema
admin-time-zone-default = Padrão do sistema

## Títulos
admin-heading-customers = Clientes
admin-heading-customer = Cliente { $id }
admin-heading-customer-groups = Grupos do cliente { $id }
admin-heading-customer-users = Usuários clientes
admin-heading-customer-user = Usuário cliente { $login }
admin-heading-customer-user-groups = Usuário cliente <-> Grupos: { $login }
admin-heading-customer-user-services = Usuário cliente <-> Serviços: { $login }
admin-heading-default-groups = Grupos padrão de todos os usuários clientes
admin-heading-default-services = Alterar serviços padrão
admin-heading-agents = Agentes
admin-heading-agent = Agente { $login }
admin-heading-agent-groups = Grupos do agente { $login }
admin-heading-agent-token = Novo token de API de { $login }
admin-heading-roles = Papéis
admin-heading-role = Papel { $name }
admin-heading-role-groups = Grupos do papel { $name }
admin-heading-groups = Grupos
admin-heading-group = Grupo { $name }
admin-heading-group-customer-users = Usuários clientes do grupo { $group }
admin-heading-queues = Filas
admin-heading-queue = Fila { $name }
admin-heading-services = Serviços
admin-heading-service = Serviço { $name }
admin-heading-states = Estados
admin-heading-state = Estado { $name }
admin-heading-priorities = Prioridades
admin-heading-priority = Prioridade { $name }

## Colunas das tabelas
admin-col-login = Login
admin-col-name = Nome
admin-col-customer = Cliente
admin-col-customer-user = Usuário cliente
admin-col-id = ID
admin-col-language = Idioma
admin-col-valid = Válido
admin-col-groups = Grupos
admin-col-group = Grupo
admin-col-links = Links
admin-col-comment = Comentário
admin-col-level = Nível
admin-col-follow-up = Acompanhamento
admin-col-type = Tipo
admin-col-next-state = Próximo estado

## Links
admin-link-groups = Grupos
admin-link-services = Serviços
admin-link-customer-users = Usuários clientes

## Campos dos formulários
admin-field-login = Login
admin-field-name = Nome
admin-field-first-name = Nome
admin-field-last-name = Sobrenome
admin-field-email = E-mail
admin-field-phone = Telefone
admin-field-customer-id = ID do cliente
admin-field-extra-customers = Outros clientes (IDs separados por vírgula)
admin-field-password = Senha
admin-field-password-console = Senha (para o console)
admin-field-password-keep = Nova senha (deixe em branco para manter)
admin-field-language = Idioma
admin-field-time-zone = Fuso horário
admin-field-valid = Válido
admin-field-street = Rua
admin-field-zip = CEP
admin-field-city = Cidade
admin-field-country = País
admin-field-url = URL
admin-field-comment = Comentário
admin-field-group = Grupo
admin-field-follow-up = Acompanhamento de chamados fechados
admin-field-parent-service = Serviço pai
admin-field-type = Tipo
admin-field-next-state = Próximo estado (estados pendentes automáticos: para onde o chamado vai no vencimento)

## Clientes
admin-customers-search = Pesquisar clientes
admin-customers-none = Nenhum cliente encontrado.
admin-customers-add = Adicionar cliente
admin-customer-groups-link = Grupos deste cliente

## Usuários clientes
admin-customer-users-search = Pesquisar usuários clientes
admin-customer-users-none = Nenhum usuário cliente encontrado.
admin-customer-users-add = Adicionar usuário cliente

## Agentes
admin-agents-search = Pesquisar agentes
admin-agents-none = Nenhum agente encontrado.
admin-agents-add = Adicionar agente
admin-agent-tokens =
    { $count ->
        [0] Nenhum token de API. Redefinir emite um novo token, mostrado uma única vez.
        [one] 1 token de API. Redefinir o revoga e mostra um novo token uma única vez.
       *[other] { $count } tokens de API. Redefinir os revoga e mostra um novo token uma única vez.
    }
admin-agent-token-reset = Redefinir token de API
admin-agent-groups-link = Grupos deste agente
admin-agent-no-roles = Ainda não há papéis.
admin-agent-add-role = Adicione um.
admin-agent-save-roles = Salvar papéis
admin-roles-heading = Papéis
admin-token-copy-now = Copie-o agora; ele não será mostrado novamente.
admin-token-back = Voltar ao agente

## Grades de permissões
admin-grant-cell-group = { $permission } em { $group }
admin-grant-cell-user = { $permission } para { $login }
admin-grants-no-groups = Ainda não há grupos.

## Grupos
admin-groups-search = Pesquisar grupos
admin-groups-none = Nenhum grupo encontrado.
admin-groups-add = Adicionar ou atualizar um grupo
admin-groups-save = Salvar grupo
admin-groups-all = Todos os grupos
admin-group-rename-note = Um novo nome renomeia o grupo; suas filas e permissões o acompanham. Um grupo inválido não concede nada.
admin-group-customer-users-link = Usuários clientes deste grupo

## Papéis
admin-roles-search = Pesquisar papéis
admin-roles-none = Nenhum papel encontrado.
admin-roles-add = Adicionar ou atualizar um papel
admin-roles-save = Salvar papel
admin-roles-all = Todos os papéis
admin-role-rename-note = Um novo nome renomeia o papel; suas permissões e membros o acompanham. Um papel inválido não concede nada.
admin-role-groups-link = Grupos deste papel

## Filas
admin-queues-search = Pesquisar filas
admin-queues-none = Nenhuma fila encontrada.
admin-queues-add = Adicionar ou atualizar uma fila
admin-queues-save = Salvar fila
admin-queues-all = Todas as filas
admin-queue-note = Uma fila mantém seu nome (os chamados o carregam). Uma fila inválida não recebe novos chamados.
admin-follow-up-possible = possível
admin-follow-up-reject = rejeitar
admin-follow-up-new-ticket = novo chamado

## Serviços
admin-services-search = Pesquisar serviços
admin-services-none = Nenhum serviço encontrado.
admin-services-add = Adicionar ou atualizar um serviço
admin-services-save = Salvar serviço
admin-services-all = Todos os serviços
admin-services-select-all = Selecionar todos os serviços
admin-services-no-valid = Ainda não há serviço válido.
admin-services-add-one = Adicione um.
admin-service-holders = Quem o tem
admin-service-unusable = Este serviço ou um acima dele é inválido: ninguém pode escolhê-lo agora.
admin-service-default = Um serviço padrão: todo usuário cliente o tem.
admin-service-not-default = Não é um serviço padrão.
admin-service-customer-users = Usuários clientes
admin-service-no-customer-users = Nenhum usuário cliente o tem diretamente.
admin-service-customers = Clientes
admin-service-no-customers = Nenhum cliente tem usuários com ele.
admin-service-change = Alterar
admin-service-note = Um serviço mantém seu nome (os chamados o carregam); para substituí-lo, adicione um novo e torne este inválido.

## Estados
admin-states-search = Pesquisar estados
admin-states-none = Nenhum estado encontrado.
admin-states-add = Adicionar estado
admin-states-all = Todos os estados
admin-state-type-label = Tipo:
admin-state-note = Um estado mantém seu nome e tipo (os chamados os carregam). Um estado inválido não pode ser definido.
admin-state-type-new = novo
admin-state-type-open = aberto
admin-state-type-pending-reminder = lembrete pendente
admin-state-type-pending-auto = pendente automático
admin-state-type-closed = fechado
admin-state-type-merged = mesclado
admin-state-type-removed = removido

## Prioridades
admin-priorities-all = Todas as prioridades
admin-priority-level = Nível:
admin-priority-note = Os chamados mantêm o nível: um novo nome aparece em todos os chamados dele. Uma prioridade inválida não pode ser definida.

## Recusas
admin-missing-customer = Cliente "{ $key }" não encontrado.
admin-missing-customer-user = Usuário cliente "{ $key }" não encontrado.
admin-missing-agent = Agente "{ $key }" não encontrado.
admin-missing-role = Papel "{ $key }" não encontrado.
admin-missing-group = Grupo "{ $key }" não encontrado.
admin-missing-queue = Fila "{ $key }" não encontrada.
admin-missing-service = Serviço "{ $key }" não encontrado.
admin-missing-state = Estado "{ $key }" não encontrado.
admin-missing-priority = Prioridade "{ $key }" não encontrada.
admin-missing-record = "{ $key }" não encontrado.
admin-missing-mail-account = Conta de e-mail "{ $key }" não encontrada.
admin-duplicate-customer = O cliente "{ $key }" já existe.
admin-duplicate-customer-user = O usuário cliente "{ $key }" já existe.
admin-duplicate-agent = O agente "{ $key }" já existe.
admin-duplicate-state = O estado "{ $key }" já existe.
admin-duplicate-record = "{ $key }" já existe.
