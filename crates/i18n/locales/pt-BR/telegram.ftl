# O bot do Telegram: suas respostas no chat e seu menu de comandos.

## Ajuda dos comandos (/start, /help) e o menu de comandos (setMyCommands; curtos, sem ponto final).

telegram-help =
    Escreva sua dúvida e eu abro um chamado para ela; suas próximas mensagens vão para o mesmo chamado. As respostas dos agentes chegam aqui, cada uma marcada com o número do chamado.

    /new <assunto> - abrir um novo chamado
    /tickets - seus chamados abertos
    /ticket <número> - mostrar um chamado e torná-lo o ativo
    /close - fechar o chamado ativo
    /link <código> - vincular este chat à sua conta de cliente (código do portal)
    /language <idioma> - o idioma em que respondo ({ $languages }, ou "auto")
    /help - este texto

    Responda a uma das minhas mensagens para escrever no chamado que ela indica. Fotos e documentos são anexados ao chamado.
telegram-command-new = abrir um chamado
telegram-command-tickets = seus chamados abertos
telegram-command-ticket = mostrar um chamado
telegram-command-close = fechar o chamado ativo
telegram-command-link = vincular sua conta de cliente
telegram-command-language = escolher o idioma em que respondo
telegram-command-help = ajuda

## Saudação e comandos.

telegram-greeting = Olá, { $name }! Aqui é a central de atendimento.
telegram-unknown-command = Não conheço o comando /{ $command }.
telegram-linked-account-note = Este chat está vinculado à sua conta { $login }.
telegram-registered-only = Olá! Esta central de atendimento atende apenas clientes cadastrados. Obtenha um código de vinculação no portal do cliente e envie /link <código>.
telegram-something-went-wrong = Desculpe, algo deu errado com essa mensagem. Tente novamente mais tarde.

## Vinculação (/link, /start <código>).

telegram-link-usage = Envie /link <código> com o código que o portal mostra.
telegram-linked = Vinculado: agora você escreve como { $name } ({ $login }). /tickets lista seus chamados.
telegram-link-code-invalid = Este código de vinculação é desconhecido, já foi usado ou expirou. Obtenha um novo no portal.
telegram-link-user-unavailable = A conta a que este código pertence não pode ser usada. Entre em contato com o suporte.

## Idioma (/language).

telegram-language-current = Respondo a você em { $language }. Envie /language <idioma> para mudar ({ $languages }), ou /language auto para seguir o seu aplicativo do Telegram.
telegram-language-set = Pronto: a partir de agora respondo a você em { $language }.
telegram-language-auto = Pronto: a partir de agora respondo a você no idioma do seu aplicativo do Telegram.
telegram-language-unknown = Não falo "{ $asked }". Idiomas que falo: { $languages }.
telegram-language-no-account = Apenas clientes cadastrados podem escolher um idioma. Obtenha um código de vinculação no portal do cliente e envie /link <código>.
telegram-language-refused = Seu idioma não foi alterado: { $reason }

## Chamados (/new, /tickets, /ticket, /close).

telegram-new-ask-subject = Sobre o que é? Sua próxima mensagem abre um novo chamado.
telegram-new-ask-description = Novo chamado "{ $subject }": agora envie a descrição; sua próxima mensagem o abre.
telegram-no-tickets-yet = Você ainda não tem chamados. Escreva uma mensagem para abrir um.
telegram-no-open-tickets = Você não tem chamados abertos. Escreva uma mensagem para abrir um.
telegram-open-tickets = Seus chamados abertos:
telegram-ticket-line = { $ticket } { $title } - { $state }
telegram-ticket-line-active = { $ticket } { $title } - { $state } (ativo)
telegram-more-in-portal = (mais no portal)
telegram-tickets-hint = /ticket <número> mostra um deles e o torna ativo.
telegram-ticket-usage = Envie /ticket <número>; /tickets lista os seus.
telegram-ticket-not-found = Chamado { $number } não encontrado.
telegram-ticket-state = Estado: { $state }
telegram-ticket-now-active = Este é agora o seu chamado ativo: suas mensagens vão para ele.
telegram-close-no-active = Nenhum chamado ativo. Escolha um com /ticket <número>; /tickets lista os seus.
telegram-closed = { $ticket } foi fechado ({ $state }). Obrigado! Uma nova mensagem abre um novo chamado.
telegram-close-denied = Você não pode fechar { $ticket }: { $reason }
telegram-close-failed = { $ticket } não foi fechado: { $reason }

## Mensagens e arquivos.

telegram-no-active-ticket = Você não tem um chamado ativo. Abra um com /new <assunto>, ou escolha um com /tickets.
telegram-ticket-opened =
    { $ticket } aberto: { $title }
    Suas próximas mensagens aqui vão para este chamado. /new abre outro, /tickets lista os seus.
telegram-added = Adicionado a { $ticket } ({ $state }).
telegram-not-added =
    Sua mensagem não foi adicionada a { $ticket }: { $reason }
    Envie-a novamente para abrir um novo chamado, ou use /new.
telegram-not-accepted = Sua mensagem não foi aceita: { $reason }
telegram-intake-refused = Desculpe, sua mensagem não pôde ser recebida: { $reason }
telegram-file-too-large = O arquivo { $name } é grande demais ({ $size } bytes; no máximo { $limit } bytes) e não foi anexado.
telegram-file-unavailable = O arquivo { $name } não pôde ser obtido do Telegram e não foi anexado.

## Estados dos chamados como o bot os mostra (nomes do OTRS em português); um estado que o sistema acrescente com outro nome aparece como foi nomeado.

telegram-state-new = novo
telegram-state-open = aberto
telegram-state-closed-successful = fechado com êxito
telegram-state-closed-unsuccessful = fechado sem êxito
telegram-state-pending-reminder = lembrete pendente
telegram-state-pending-auto-close-plus = pendente fechamento automático+
telegram-state-pending-auto-close-minus = pendente fechamento automático-
telegram-state-merged = mesclado
telegram-state-removed = removido
