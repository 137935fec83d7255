"""Comments by text message (coUrbanize's text-in): a sign on the site gives a phone number and a keyword;
a resident texts "KEYWORD their comment", and the comment becomes a moderated contribution of the
keyword's module, marked "by text message". Inbound messages arrive at /hooks/sms/<gateway>/ through a
gateway adapter (gateways/); replies go out through the outbox (core.sms)."""
