# Compartilhado por todas as superfícies: o nome do idioma, como se escrevem datas, contagens.

common-language-name = Português (Brasil)
common-datetime-format = %d/%m/%Y %H:%M
common-date-format = %d/%m/%Y
common-tickets-count =
    { $count ->
        [0] nenhum chamado
        [one] 1 chamado
       *[other] { $count } chamados
    }
