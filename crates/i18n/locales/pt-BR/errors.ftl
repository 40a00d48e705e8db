# As recusas do motor que as pessoas leem em páginas e em chats. Os nomes já chegam entre aspas ("Vendas").

## Como os registros se chamam, inseridos nas frases como $noun.
error-noun-customer = cliente
error-noun-customer-user = usuário cliente
error-noun-agent = agente
error-noun-role = papel
error-noun-group = grupo
error-noun-queue = fila
error-noun-service = serviço
error-noun-state = estado
error-noun-grant = permissão
error-noun-priority = prioridade

## Campos do diretório, inseridos nas frases como $field.
error-field-customer-name = O nome do cliente
error-field-customer-user-name = O nome do usuário cliente
error-field-agent-name = O nome do agente
error-field-role-name = O nome do papel
error-field-group-name = O nome do grupo
error-field-queue-name = O nome da fila
error-field-service-name = O nome do serviço
error-field-state-name = O nome do estado
error-field-grant-name = O nome da permissão
error-field-priority-name = O nome da prioridade
error-field-grant-subject = O titular da permissão
error-field-grant-target = O alvo da permissão
error-field-queue-group = O grupo da fila
error-field-agent-login = O login do agente
error-field-customer-id = O ID do cliente
error-field-customer-user-login = O login do usuário cliente
error-field-identity = A identidade

## Nomes e logins.
error-field-empty = { $field } não pode ficar em branco
error-field-too-long = { $field } tem mais de 200 caracteres
error-field-control-characters = { $field } não pode conter caracteres de controle
error-field-surrounding-space = { $field } não pode começar nem terminar com espaço
error-email-invalid = O e-mail { $email } não é um endereço como nome@exemplo.com
error-service-name-empty-part = O nome de serviço { $name } tem uma parte vazia; escreva-o como Pai::Filho
error-priority-name-number = O nome de prioridade { $name } parece um número de nível; escolha um nome que não seja um número
error-priority-out-of-range = A prioridade { $level } não está entre 1 (muito baixa) e 5 (muito alta)
error-priority-text-unknown = A prioridade { $text } é desconhecida; use 1..5 ou um nome como "3 normal"
error-permission-unknown = A permissão { $text } é desconhecida; use uma destas: ro, move_into, create, note, owner, priority, rw
error-state-type-unknown = O tipo de estado { $text } é desconhecido
error-follow-up-policy-unknown = A política de acompanhamento { $text } não é uma destas: possible, reject, new_ticket
error-channel-unknown = O canal { $text } é desconhecido

## Edição do diretório.
error-record-not-found = Não existe { $noun } { $name }
error-record-taken = Já existe { $noun } { $name }; escolha outro nome
error-record-same-name = Nada a alterar: { $noun } { $name } já tem esse nome
error-admin-group-fixed = O grupo { $group } torna os agentes administradores (rw nele); ele não pode ser renomeado nem invalidado
error-state-type-fixed = O estado { $state } é do tipo { $from }, e os chamados guardam esse tipo nos seus índices; ele não pode passar a ser { $to }: adicione um estado do tipo { $to } e invalide este
error-state-still-next = O estado { $state } é o próximo estado do estado pendente válido { $of }; altere aquele primeiro
error-next-state-invalid = O próximo estado { $next } de { $of } é inválido; um estado pendente precisa fechar em um estado válido
error-next-state-not-found = O próximo estado { $next } de { $state } não foi encontrado
error-default-priority-fixed = A prioridade { $name } é a que os novos chamados recebem quando nenhuma é informada; ela continua válida
error-priority-name-taken = O nome de prioridade { $name } já pertence ao nível { $level }
error-priority-invalid = A prioridade { $name } é inválida e não pode ser definida
error-priority-unknown = A prioridade { $text } é desconhecida; use 1..5 ou o nome de uma prioridade
error-queue-group-not-found = O grupo { $group } da fila { $queue } não foi encontrado
error-parent-service-not-found = O serviço pai { $parent } de { $service } não foi encontrado
error-customer-grants-ro-rw = Usuários clientes e clientes só recebem ro ou rw
error-not-an-admin = O agente { $login } não é administrador (precisa de rw no grupo admin)
error-customer-cannot-administer = Usuários clientes não podem administrar

## Pessoas e suas preferências.
error-agent-not-found = O agente { $login } não foi encontrado
error-agent-not-found-or-invalid = O agente { $login } não foi encontrado (ou é inválido)
error-customer-user-not-found = O usuário cliente { $login } não foi encontrado
error-agent-unknown = O agente { $login } é desconhecido
error-agent-invalid = O agente { $login } é inválido
error-customer-user-unknown = O usuário cliente { $login } é desconhecido
error-customer-user-invalid = O usuário cliente { $login } é inválido
error-customer-user-no-time-zone = Usuários clientes não têm fuso horário próprio
error-password-empty = O hash da senha não pode ficar vazio

## Chamados.
error-ticket-not-found = O chamado { $number } não foi encontrado
error-queue-not-found = A fila { $name } não foi encontrada
error-state-not-found = O estado { $name } não foi encontrado
error-attachment-not-found = O anexo do artigo { $article } do chamado { $number } não foi encontrado
error-title-empty = O título não pode ficar vazio
error-body-empty = O texto não pode ficar vazio
error-body-too-large = O texto tem { $size } bytes, mais que o limite de { $max } bytes
error-queue-closed-to-new = A fila { $name } é inválida e não aceita novos chamados
error-queue-invalid = A fila { $queue } é inválida
error-customer-may-not-create = Você não pode abrir chamados na fila { $queue }
error-customer-only-own-tickets = Usuários clientes só abrem chamados para si mesmos
error-agent-may-not-create = O agente { $login } não pode criar chamados na fila { $queue }
error-service-not-available = O serviço { $service } não está disponível para este usuário cliente
error-history-agents-only = O histórico é só para agentes
error-customer-no-queue-view = Usuários clientes não têm visão de filas
error-customer-no-internal-notes = Clientes não podem escrever notas internas
error-customer-read-only = Você pode ler o chamado { $number }, mas não escrever nele
error-agent-lacks-permission = O agente { $login } não tem { $permission } na fila { $queue }
error-follow-up-closed = Este chamado está fechado e a fila dele não aceita acompanhamentos; abra um novo chamado
error-customer-only-close = Clientes só podem fechar os próprios chamados
error-change-needs-permission = Alterar { $what } exige { $permission } na fila { $queue }
error-changed-state = o estado
error-changed-pending-time = o horário pendente
error-changed-priority = a prioridade
error-changed-title = o título
error-changed-responsible = o responsável
error-changed-owner = o proprietário
error-changed-lock = o bloqueio
error-ticket-locked-by = O chamado { $number } está bloqueado por { $owner }
error-ticket-locked = O chamado { $number } está bloqueado por outro agente
error-move-needs-move-into = Mover para a fila { $queue } exige move_into no grupo dela
error-agent-lacks-group-permission = O agente { $login } não tem { $permission } no grupo { $group }
error-merge-needs-rw = Mesclar exige rw no chamado { $number }
error-merge-agents-only = Só agentes mesclam chamados
error-merge-target-not-found = O chamado { $number } não pode ser mesclado em { $target }: chamado não encontrado
error-merge-into-itself = Um chamado não pode ser mesclado nele mesmo
error-search-too-long = A pesquisa tem mais de 500 caracteres
error-search-empty = A pesquisa está vazia

## Estados.
error-state-invalid = O estado { $state } é inválido e não pode ser definido
error-ticket-merged-state = O chamado foi mesclado; altere o chamado de destino em vez de definir { $state }
error-ticket-removed-state = O chamado foi removido; ele não pode passar a { $state }
error-state-merged-directly = Use a mesclagem para mesclar chamados; o estado merged não pode ser definido diretamente
error-state-back-to-new = Um chamado que esteve em { $from } não pode voltar a { $to }
error-ticket-already = O chamado { $number } já está em { $state }
error-state-needs-pending-time = O estado { $state } precisa de um horário pendente (quando vence)
error-pending-time-needs-pending-state = O horário pendente exige um estado pendente
error-pending-time-past = O horário pendente { $time } não está no futuro

## Anexos.
error-attachment-file-too-large = O arquivo { $name } tem { $size } bytes, mais que o limite de { $max } bytes por arquivo
error-attachment-files-too-large = Os arquivos somam { $size } bytes, mais que o limite de { $max } bytes por mensagem
error-attachment-too-many = { $count } arquivos, mais que o limite de { $max } por mensagem

## Idiomas e fusos horários que as pessoas escolhem.
error-language-unknown = O idioma { $language } não está disponível; escolha um destes: { $choices }
error-time-zone-unknown = O fuso horário { $zone } não é um nome de fuso horário IANA como America/Sao_Paulo

## Permissões e pedidos repetidos.
error-grant-subject-not-found = O titular da permissão { $subject } não foi encontrado
error-grant-target-not-found = O alvo da permissão { $target } (para { $subject }) não foi encontrado
error-request-in-progress = O pedido ainda está sendo processado; tente de novo
error-message-too-large = o texto da mensagem tem mais de { $max } bytes

## Contas de e-mail (caixas postais de onde o helpdesk busca e-mails)
error-noun-mail-account = conta de e-mail
error-field-mail-account-name = O nome da conta de e-mail
error-mail-account-name = O nome de uma conta de e-mail só pode ter letras, dígitos, ".", "_" e "-" (no máximo 64).
error-mail-account-host = O host do servidor de e-mail deve ser um nome de host ou um endereço IP.
error-mail-account-port = A porta do servidor de e-mail deve estar entre 1 e 65535.
error-mail-account-tls-none = Conexão sem TLS só é permitida com um servidor nesta máquina (endereço de loopback ou localhost).
error-mail-account-login = O login não pode ser vazio nem conter caracteres de controle.
error-mail-account-password = A senha não pode ser vazia nem conter quebras de linha (no máximo 1024 caracteres).
error-mail-account-oauth = XOAUTH2 precisa de um refresh token e de um client id, sem caracteres de controle.
error-mail-account-token-url = O endpoint de token deve ser um endereço https:// (http:// só nesta máquina).
error-mail-account-folders = Informe de 1 a 50 pastas distintas, sem aspas, barras invertidas ou caracteres de controle.
error-mail-account-pop3-folders = Uma caixa POP3 tem uma única pasta: INBOX.
error-mail-account-pop3-move = POP3 não consegue mover mensagens: mantenha-as ou apague-as.
error-mail-account-move-folder = A pasta para onde mover os e-mails importados deve ter um nome válido e não ser uma das pastas lidas.
error-mail-account-since = A data da primeira sincronização deve ser uma data como 2026-01-31.
error-mail-account-poll = O intervalo de verificação deve ficar entre { $min } e { $max } segundos.
error-mail-account-authserv-id = O authserv-id deve ser uma palavra sem espaços (no máximo 255 caracteres).
