## Mail accounts over the API and the admin command line
error-mail-account-one-credential = A mail account logs in with either a password or an OAuth2 client: give exactly one of them.
