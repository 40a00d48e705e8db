# Textos que o sistema escreve nos e-mails, no idioma de quem os recebe. As respostas dos agentes nunca são traduzidas.

# A resposta automática a um chamado novo aberto por e-mail.
mail-auto-response =
    Prezado(a) { $name },

    obrigado pela sua mensagem. Sua solicitação foi registrada como o chamado { $number } ("{ $title }"). Por favor, mantenha o número do chamado no assunto das próximas mensagens sobre ele.

    Sua equipe de suporte
# O nome de exibição do remetente nos e-mails que o próprio sistema escreve (respostas automáticas).
mail-from-system = Suporte
