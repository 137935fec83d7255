"""Helpers of the text-in tests: a signed webhook post through the fake gateway."""

from __future__ import annotations

from gorod.consultations.textin.gateways import fake

HOOK = "/hooks/sms/fake/"
NUMBER = "+7 921 555-12-34"


def send(client, message_id: str, text: str, *, sender: str = NUMBER, forged: bool = False, **extra):
    params = {"id": message_id, "from": sender, "to": "+79000000000", "text": text}
    signature = fake.sign(params)
    if forged:
        signature = signature[:-4] + ("AAAA" if not signature.endswith("AAAA") else "BBBB")
    return client.post(HOOK, params, HTTP_X_FAKE_SIGNATURE=signature, **extra)
