## Contas de e-mail pela API e pela linha de comando de administração
error-mail-account-one-credential = Uma conta de e-mail entra com uma senha ou com um cliente OAuth2: informe exatamente um dos dois.
