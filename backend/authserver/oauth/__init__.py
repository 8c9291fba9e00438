"""The OAuth 2.0 server: Authlib setup, the /auth/* endpoints, the authorize flow, tokens at rest."""
