"""A passkey in software for the tests: a P-256 key that answers WebAuthn ceremonies as a browser would
send them (``credential.toJSON()``), with every field a test may want to get wrong."""

from __future__ import annotations

import hashlib
import json
import secrets
import struct
from base64 import urlsafe_b64decode, urlsafe_b64encode
from dataclasses import dataclass, field

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

USER_PRESENT = 0x01
USER_VERIFIED = 0x04
ATTESTED_CREDENTIAL = 0x40


def b64url(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class SoftwareAuthenticator:
    """One credential on one authenticator, for ``rp_id``, as a browser at ``origin`` uses it."""

    rp_id: str = "localhost"
    origin: str = "http://localhost:3000"
    sign_count: int = 0
    credential_id: bytes = field(default_factory=lambda: secrets.token_bytes(16))
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    user_handle: bytes | None = None

    def _authenticator_data(self, flags: int, rp_id: str | None, extra: bytes = b"") -> bytes:
        rp_id_hash = hashlib.sha256((rp_id or self.rp_id).encode()).digest()
        return rp_id_hash + bytes([flags]) + struct.pack(">I", self.sign_count) + extra

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": origin or self.origin, "crossOrigin": False}
        ).encode()

    def _cose_public_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
        )

    def create(
        self, options: dict, *, origin: str | None = None, rp_id: str | None = None, verified: bool = True
    ) -> dict:
        """The answer to ``navigator.credentials.create`` for ``options`` ('none' attestation)."""
        public_key = options["publicKey"]
        self.user_handle = _unpadded(public_key["user"]["id"])
        attested = (
            bytes(16)  # AAGUID: none, as with 'none' attestation
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + self._cose_public_key()
        )
        flags = USER_PRESENT | ATTESTED_CREDENTIAL | (USER_VERIFIED if verified else 0)
        auth_data = self._authenticator_data(flags, rp_id, attested)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", public_key["challenge"], origin)
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        }

    def get(
        self,
        options: dict,
        *,
        origin: str | None = None,
        rp_id: str | None = None,
        verified: bool = True,
        sign_count: int | None = None,
    ) -> dict:
        """The answer to ``navigator.credentials.get``; the counter moves on by one unless ``sign_count``."""
        self.sign_count = self.sign_count + 1 if sign_count is None else sign_count
        auth_data = self._authenticator_data(USER_PRESENT | (USER_VERIFIED if verified else 0), rp_id)
        client_data = self._client_data("webauthn.get", options["publicKey"]["challenge"], origin)
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.key.sign(signed, ec.ECDSA(hashes.SHA256()))
        response = {
            "clientDataJSON": b64url(client_data),
            "authenticatorData": b64url(auth_data),
            "signature": b64url(signature),
        }
        if self.user_handle is not None:
            response["userHandle"] = b64url(self.user_handle)
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": response,
            "clientExtensionResults": {},
        }


def _unpadded(value: str) -> bytes:
    return urlsafe_b64decode(value + "=" * (-len(value) % 4))
