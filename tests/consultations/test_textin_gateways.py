"""The gateway adapters: Twilio's signature (a published vector, port variants, any changed field fails),
its inbound fields, its send (request built as the API wants it; errors reduced to codes), the numbers."""

from __future__ import annotations

import urllib.parse

import pytest
from django.test import RequestFactory

from gorod.consultations.textin import phones, words
from gorod.consultations.textin.gateways import BadInbound, GatewayError, clean_body, twilio

# Twilio's documented example (docs "Validating requests"): URL with a query, a voice callback's fields.
VECTOR_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
VECTOR_PARAMS = {
    "CallSid": ["CA1234567890ABCDE"],
    "Caller": ["+12349013030"],
    "Digits": ["1234"],
    "From": ["+12349013030"],
    "To": ["+18005551212"],
}


def test_twilio_signature_matches_the_published_example():
    assert twilio.signature("12345", VECTOR_URL, VECTOR_PARAMS) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


def test_twilio_signature_sorts_names_and_changes_with_any_field():
    shuffled = dict(reversed(list(VECTOR_PARAMS.items())))
    base = twilio.signature("12345", VECTOR_URL, VECTOR_PARAMS)
    assert twilio.signature("12345", VECTOR_URL, shuffled) == base
    assert twilio.signature("12346", VECTOR_URL, VECTOR_PARAMS) != base
    assert twilio.signature("12345", VECTOR_URL + "&x=1", VECTOR_PARAMS) != base
    assert twilio.signature("12345", VECTOR_URL, {**VECTOR_PARAMS, "Digits": ["1235"]}) != base


def test_url_variants_add_and_remove_the_default_port():
    assert twilio.url_variants("https://g.example/hooks/sms/twilio/") == [
        "https://g.example/hooks/sms/twilio/",
        "https://g.example:443/hooks/sms/twilio/",
    ]
    assert twilio.url_variants("https://g.example:443/x") == [
        "https://g.example:443/x",
        "https://g.example/x",
    ]
    assert twilio.url_variants("https://g.example:8443/x") == ["https://g.example:8443/x"]


def _twilio_request(
    settings,
    fields: dict,
    *,
    token="secret-token",  # noqa: S107 - a test's token
    url="https://g.example/hooks/sms/twilio/",
):
    settings.GOROD_TWILIO_AUTH_TOKEN = "secret-token"
    settings.GOROD_SMS_WEBHOOK_URL = url
    request = RequestFactory().post("/hooks/sms/twilio/", fields)
    params = {k: [v] for k, v in fields.items()}
    request.META["HTTP_X_TWILIO_SIGNATURE"] = twilio.signature(token, url, params)
    return request


FIELDS = {
    "MessageSid": "SM" + "a" * 32,
    "AccountSid": "AC" + "b" * 32,
    "From": "+79215551234",
    "To": "+79000000000",
    "Body": "ПАРК больше скамеек",
    "NumMedia": "0",
}


def test_twilio_verifies_its_own_signature_and_refuses_a_forged_one(settings):
    assert twilio.Twilio().verify(_twilio_request(settings, FIELDS))
    assert not twilio.Twilio().verify(_twilio_request(settings, FIELDS, token="another-token"))
    forged = _twilio_request(settings, FIELDS)
    forged.POST = forged.POST.copy()
    forged.POST["Body"] = "ПАРК something else"
    assert not twilio.Twilio().verify(forged)
    unsigned = RequestFactory().post("/hooks/sms/twilio/", FIELDS)
    assert not twilio.Twilio().verify(unsigned)


def test_twilio_without_an_auth_token_verifies_nothing(settings):
    request = _twilio_request(settings, FIELDS)
    settings.GOROD_TWILIO_AUTH_TOKEN = ""
    assert not twilio.Twilio().verify(request)


def test_twilio_parse_reads_the_fields_and_refuses_malformed_ones(settings):
    inbound = twilio.Twilio().parse(_twilio_request(settings, FIELDS))
    assert (inbound.message_id, inbound.sender, inbound.body) == (
        FIELDS["MessageSid"],
        "+79215551234",
        FIELDS["Body"],
    )
    for broken in (
        {**FIELDS, "MessageSid": ""},
        {**FIELDS, "MessageSid": "SM<script>"},
        {**FIELDS, "From": ""},
    ):
        with pytest.raises(BadInbound):
            twilio.Twilio().parse(RequestFactory().post("/hooks/sms/twilio/", broken))


def test_bodies_lose_control_characters_and_are_cut_at_1600():
    assert clean_body("ПАРК\x00 hi\x1b[31m\nthere") == "ПАРК hi[31m\nthere"
    assert len(clean_body("x" * 5000)) == 1600


def test_twilio_send_builds_the_api_request_and_keeps_only_codes_of_errors(settings, monkeypatch):
    settings.GOROD_TWILIO_ACCOUNT_SID = "AC123"
    settings.GOROD_TWILIO_AUTH_TOKEN = "tok"
    settings.GOROD_SMS_NUMBER = "+79000000000"
    seen = {}

    def fake_post(url, fields, *, auth):
        seen.update(url=url, fields=fields, auth=auth)
        return 201, b'{"sid": "SM999"}'

    monkeypatch.setattr(twilio, "post", fake_post)
    assert twilio.Twilio().send(to="+79215551234", body="Спасибо", key="k") == "SM999"
    assert seen["url"] == "https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json"
    assert seen["fields"] == {"To": "+79215551234", "Body": "Спасибо", "From": "+79000000000"}
    assert seen["auth"] == ("AC123", "tok")

    monkeypatch.setattr(
        twilio, "post", lambda *a, **k: (400, b'{"code": 21610, "message": "+79215551234 unsubscribed"}')
    )
    with pytest.raises(GatewayError) as refused:
        twilio.Twilio().send(to="+79215551234", body="x", key="k")
    assert refused.value.permanent and "21610" in refused.value.reason and "7921" not in refused.value.reason
    monkeypatch.setattr(twilio, "post", lambda *a, **k: (503, b"busy"))
    with pytest.raises(GatewayError) as later:
        twilio.Twilio().send(to="+79215551234", body="x", key="k")
    assert not later.value.permanent
    monkeypatch.setattr(twilio, "post", lambda *a, **k: (429, b"{}"))
    with pytest.raises(GatewayError) as slow:
        twilio.Twilio().send(to="+79215551234", body="x", key="k")
    assert not slow.value.permanent


def test_twilio_send_refuses_a_plain_http_api_url():
    with pytest.raises(GatewayError):
        twilio.post("http://api.example/x", {}, auth=("a", "b"))


@pytest.mark.parametrize(
    ("raw", "normal", "masked"),
    [
        ("+7 (921) 555-12-34", "+79215551234", "+7 ••• ••• •• 34"),
        ("89215551234", "89215551234", "••• ••• •• 34"),
        ("", "", "•••"),
        ("no digits", "", "•••"),
        ("+" + "1" * 16, "", "•••"),
    ],
)
def test_numbers_are_normalised_and_masked(raw, normal, masked):
    assert phones.normalise(raw) == normal
    assert phones.mask(raw) == masked


def test_the_same_number_written_two_ways_has_one_hash(settings):
    assert phones.lookup("+7 921 555-12-34") == phones.lookup("+79215551234")
    assert phones.lookup("+79215551234") != phones.lookup("+79215551235")
    assert "9215551234" not in phones.lookup("+79215551234")


@pytest.mark.parametrize(
    ("body", "command"),
    [
        ("STOP", "STOP"),
        (" stop ", "STOP"),
        ("Стоп.", "STOP"),
        ("СТОП", "STOP"),
        ("start", "START"),
        ("Помощь", "HELP"),
        ("STOP the works", ""),
        ("ПАРК stop", ""),
        ("", ""),
    ],
)
def test_commands_are_whole_messages(body, command):
    assert words.command_of(body) == command


def test_keywords_are_one_word_and_not_a_command():
    assert words.normal("#парк,") == "ПАРК" and words.normal("ёлка") == "ЕЛКА"
    assert words.is_valid_keyword("ПАРК") and words.is_valid_keyword("PARK2")
    for bad in ("P", "STOP", "СТОП", "TWO WORDS", "X" * 21, "PA-RK", ""):
        assert not words.is_valid_keyword(words.normal(bad) if bad != "TWO WORDS" else bad)
    assert urllib.parse.quote(words.split("парк  больше скамеек ")[1]) != ""
    assert words.split("парк  больше скамеек ") == ("ПАРК", "больше скамеек")
