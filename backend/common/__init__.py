"""What both servers share: the TOTP verifier, the JSON error shape, encryption at rest."""
