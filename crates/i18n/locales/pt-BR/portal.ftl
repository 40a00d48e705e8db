# O portal do cliente.

portal-my-tickets = Meus chamados
portal-new-ticket = Novo chamado
portal-link-telegram = Vincular Telegram
portal-no-tickets = Nenhum chamado ainda.
portal-open-one = Abra um
portal-company = empresa
portal-more-tickets = Mais chamados
portal-no-queues = Você ainda não pode abrir chamados aqui. Entre em contato com o help desk.
portal-message = Mensagem
portal-open-ticket = Abrir chamado
portal-opened = Aberto em
portal-your-reply = Sua resposta
portal-reply-rejected = Sua resposta não foi aceita: { $reason }
portal-reply-forbidden = Você não pode responder a este chamado: { $reason }
portal-link-telegram-intro = Vincule sua conta do Telegram a este login, e os chamados que você abrir ou responder no chat também serão seus aqui.
portal-link-code = Seu código de vínculo:
portal-link-send-before = Envie
portal-link-send-after = para o nosso bot do Telegram. O código funciona uma vez, até { $until }.
portal-link-ask = Peça um código de uso único e envie-o ao nosso bot do Telegram como
portal-link-code-placeholder = CÓDIGO
portal-link-another-code = Obter outro código
portal-link-get-code = Obter um código de vínculo
