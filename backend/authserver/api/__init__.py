"""The JSON APIs: login and two-factor for non-browser clients, the admin resource API, OpenAPI."""
