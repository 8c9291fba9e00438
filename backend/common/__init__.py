"""What both servers share: the TOTP verifier and the JSON error shape."""
