## As telas do console para os textos dos administradores (respostas automáticas, saudações,
## assinaturas, modelos, notificações), os campos de textos do formulário de fila, e as preferências de
## notificação do agente, o acompanhamento de chamados e os seletores de modelo.

## Telas de administração: listas e formulários.
admin-texts-auto-responses = Respostas automáticas
admin-texts-auto-responses-add = Adicionar resposta automática
admin-texts-auto-responses-none = Nenhuma resposta automática ainda.
admin-texts-auto-responses-all = Todas as respostas automáticas
admin-texts-auto-response = Resposta automática { $name }
admin-texts-salutations = Saudações
admin-texts-salutations-add = Adicionar saudação
admin-texts-salutations-none = Nenhuma saudação ainda.
admin-texts-salutations-all = Todas as saudações
admin-texts-salutation = Saudação { $name }
admin-texts-signatures = Assinaturas
admin-texts-signatures-add = Adicionar assinatura
admin-texts-signatures-none = Nenhuma assinatura ainda.
admin-texts-signatures-all = Todas as assinaturas
admin-texts-signature = Assinatura { $name }
admin-texts-templates = Modelos
admin-texts-templates-add = Adicionar modelo
admin-texts-templates-none = Nenhum modelo ainda.
admin-texts-templates-all = Todos os modelos
admin-texts-template = Modelo { $name }
admin-texts-notifications = Notificações de agentes
admin-texts-notifications-all = Todas as notificações
admin-texts-notification = Notificação: { $name }
admin-texts-notifications-intro = O que cada evento avisa aos agentes, e como. Os agentes escolhem os próprios canais onde você permitir; o Telegram só alcança agentes que vincularam um chat.
admin-texts-col-kind = Tipo
admin-texts-col-queues = Filas
admin-texts-col-languages = Idiomas
admin-texts-col-notification = Notificação
admin-texts-col-email = E-mail
admin-texts-col-telegram = Telegram
admin-texts-col-agent-may-choose = Agentes podem escolher
admin-texts-col-texts = Textos
admin-texts-yes = sim
admin-texts-no = não
admin-texts-shipped = padrão do sistema
admin-texts-field-queues = Oferecido nas filas
admin-texts-field-subject = Assunto
admin-texts-field-body = Texto
admin-texts-field-notification-valid = Ativa (os agentes são avisados)
admin-texts-field-channels = Enviada por padrão por
admin-texts-field-agent-may-choose = Os agentes podem mudar os canais na página de preferências
admin-texts-languages-hint = Um texto por idioma; idiomas deixados vazios não são usados. Cada leitor recebe o texto no seu idioma, senão no do sistema, senão em inglês.
admin-texts-notification-texts-hint = Deixe todos os idiomas vazios para enviar o texto traduzido padrão.
admin-texts-notification-reset = Voltar às configurações padrão
admin-texts-notification-reset-explain = Suas configurações e textos desta notificação são removidos; ela fica ativa, por e-mail, os agentes podem escolher, com os textos padrão.
admin-texts-kind-reply = Resposta automática (novo chamado)
admin-texts-kind-reject = Rejeição automática (acompanhamento recusado)
admin-texts-kind-follow-up = Acompanhamento automático (acompanhamento aceito)
admin-texts-kind-reply-new-ticket = Resposta automática/novo chamado (acompanhamento abriu um novo chamado)
admin-texts-kind-answer = Resposta
admin-texts-kind-note = Nota
admin-texts-kind-create = Criação (chamado por telefone)
admin-texts-delete = Excluir
admin-texts-delete-heading = Excluir { $name }?
admin-texts-delete-explain = O texto é removido definitivamente. Um texto usado por uma fila é mantido: escolha outro na fila antes.
admin-texts-delete-button = Excluir
admin-texts-cancel = Cancelar

## A caixa de ajuda das variáveis de modelo.
admin-texts-variables = Variáveis de modelo
admin-texts-variables-intro = Assuntos e textos são modelos: escreva uma variável entre chaves duplas, e use blocos if e for. Por exemplo:
admin-texts-var-ticket = o chamado
admin-texts-var-article = a mensagem que o texto responde ou sobre a qual avisa
admin-texts-var-customer-user = o usuário cliente do chamado
admin-texts-var-customer = o cliente (empresa) do chamado
admin-texts-var-agent = o agente que escreve, ou o avisado
admin-texts-var-queue = a fila do chamado
admin-texts-var-urls = links para o helpdesk; ticket é a visão do chamado do agente, portal_ticket a do cliente
admin-texts-var-notification = só notificações: qual e quem a causou
admin-texts-variables-checked = Um texto é verificado ao ser salvo: um erro é mostrado com a sua linha, e nada é salvo.

## O formulário de fila.
admin-texts-queue-auto-responses = Respostas automáticas
admin-texts-queue-auto-shipped = a resposta padrão
admin-texts-queue-auto-none = nenhuma (nada é enviado)
admin-texts-queue-none = nenhuma
admin-texts-queue-salutation = Saudação (acima das respostas dos agentes)
admin-texts-queue-signature = Assinatura (abaixo das respostas dos agentes)
admin-texts-queue-unlock = Tempo para desbloqueio (minutos)
admin-texts-queue-unlock-hint = Um chamado bloqueado cujo proprietário não respondeu é desbloqueado depois destes minutos; 0 nunca.
admin-texts-queue-unlock-invalid = O tempo para desbloqueio deve ser um número inteiro de minutos (0 para nunca).

## A página de preferências do agente.
console-prefs-notifications = Notificações
console-prefs-notifications-intro = Como você é avisado sobre chamados. Linhas definidas pelos administradores para todos não podem ser mudadas aqui.
console-prefs-col-notification = Notificação
console-prefs-col-email = E-mail
console-prefs-col-telegram = Telegram
console-prefs-off = desativada
console-prefs-set-by-admins = (definida pelos administradores)
console-prefs-telegram-needs-link = As notificações por Telegram chegam a você depois que vincular sua conta do Telegram abaixo.
console-prefs-my-queues = Minhas filas
console-prefs-my-queues-intro = Novos chamados, acompanhamentos e chamados movidos para estas filas são avisados a você.
console-prefs-no-queues = Você não pode ler nenhuma fila.
console-prefs-save-notifications = Salvar notificações e filas
console-prefs-telegram = Telegram
console-prefs-telegram-intro = Vincule sua conta do Telegram para receber notificações lá: peça um código de uso único e envie-o ao nosso bot do Telegram.
console-prefs-telegram-linked = Sua conta do Telegram está vinculada: as notificações por Telegram vão para lá.
console-prefs-telegram-unlink = Desvincular o Telegram
console-prefs-telegram-unlinked = O Telegram foi desvinculado: nenhuma notificação vai mais para lá.
console-prefs-telegram-code = Seu código de vínculo:
# Em volta de "/link CÓDIGO", que fica como está: "Envie /link CÓDIGO ao nosso bot do Telegram. …"
console-prefs-telegram-send-before = Envie
console-prefs-telegram-send-after = ao nosso bot do Telegram. O código vale uma vez, até { $until }.
console-prefs-telegram-get-code = Obter um código de vínculo
console-prefs-telegram-another-code = Obter outro código

## A visão do chamado: acompanhar, seletores de modelo.
console-watch-watchers = Observadores
console-watch-nobody = Ninguém acompanha este chamado.
console-watch-watch = Acompanhar este chamado
console-watch-unwatch = Deixar de acompanhar
console-watch-done-watch = Você acompanha este chamado: é avisado dos seus acompanhamentos.
console-watch-done-unwatch = Você não acompanha mais este chamado.
console-tpl-answer = Resposta padrão
console-tpl-note = Nota padrão
console-tpl-create = Modelo
console-tpl-queue = Fila do modelo
console-tpl-use = Usar
console-tpl-show = Mostrar seus modelos
console-tpl-none-for-queue = Esta fila não tem modelo para novos chamados.
console-tpl-subject = Assunto
