"""A twoFactor.transport other than email or sms (set at the auth server, as Aidbox allows): the code
goes to the webhook under that name, so the app shows "webhook", never the authenticator app."""

from __future__ import annotations

import pytest

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.mark.parametrize("transport", ["whatsapp", "totp", "authenticator"])
def test_a_free_form_transport_is_not_the_authenticator_app(signed_in, fake_auth, transport):
    fake_auth.user["twoFactor"] = {"enabled": True, "secretKey": SECRET, "transport": transport}
    status = signed_in.get("/api/user/two-factor").json
    assert (status["enabled"], status["method"]) == (True, "webhook")
    assert signed_in.get("/api/me").json["twoFactor"] == {"enabled": True, "method": "webhook"}
    refused = signed_in.post("/api/user/two-factor/current-code", json={})
    assert refused.status_code == 422 and "authenticator" not in refused.json["error"]["message"]


def test_no_transport_is_the_authenticator_app(signed_in, fake_auth):
    fake_auth.user["twoFactor"] = {"enabled": True, "secretKey": SECRET}
    assert signed_in.get("/api/user/two-factor").json["method"] == "totp"
