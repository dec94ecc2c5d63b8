"""E-mail addresses as accounts: the domain an address belongs to (`dana@acme.com` ->
`acme.com`), and the free-mail domains that name nobody's company (gmail, outlook, ...)."""

from __future__ import annotations

import re

__all__ = ["FREE_MAIL", "FREE_MAIL_NAMES", "email_domain", "is_email", "is_free_mail"]

# Domains of free mail providers: an address there says nothing about the sender's company.
FREE_MAIL = frozenset(
    {
        *("gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com"),
        *("passport.com", "yahoo.com", "ymail.com", "rocketmail.com", "aol.com", "aim.com"),
        *("icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com", "protonmail.ch"),
        *("pm.me", "gmx.com", "gmx.net", "gmx.de", "gmx.at", "gmx.ch", "web.de", "mail.com"),
        *("email.com", "zoho.com", "zohomail.com", "yandex.com", "yandex.ru", "mail.ru"),
        *("inbox.ru", "bk.ru", "list.ru", "qq.com", "163.com", "126.com", "sina.com"),
        *("fastmail.com", "fastmail.fm", "hey.com", "tutanota.com", "tuta.io", "hushmail.com"),
        *("t-online.de", "freenet.de", "orange.fr", "wanadoo.fr", "free.fr", "laposte.net"),
        *("libero.it", "virgilio.it", "btinternet.com", "sky.com", "comcast.net"),
        *("verizon.net", "att.net", "sbcglobal.net", "naver.com", "daum.net", "rediffmail.com"),
    }
)
# Providers with a domain per country (hotmail.co.uk, yahoo.fr, outlook.de, gmx.ch, ...):
# free mail under any country or generic ending of one or two short labels.
FREE_MAIL_NAMES = frozenset(
    {
        *("gmail", "googlemail", "hotmail", "outlook", "live", "yahoo", "ymail", "aol"),
        *("icloud", "gmx", "proton", "protonmail", "yandex"),
    }
)
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(
    r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+"
)
_ADDRESS = re.compile(r"[^\s@<>\"(),;:]{1,64}@([^\s@<>\"(),;:]{1,253})")


def email_domain(text: str) -> str | None:
    """The lower-case domain of the one e-mail address in a cell (`Dana <dana@Acme.com>` ->
    `acme.com`), else None. Linear in the cell: one bounded search."""
    if "@" not in text or len(text) > 1000:
        return None
    found = _ADDRESS.findall(text)
    if len(found) != 1:
        return None
    domain = found[0].strip(".").casefold()
    return domain if _DOMAIN.fullmatch(domain) else None


def is_email(text: str) -> bool:
    """Whether a cell is an e-mail address and nothing else."""
    text = text.strip()
    return bool(text) and " " not in text and email_domain(text) is not None


def is_free_mail(domain: str) -> bool:
    """Whether a domain is a free mail provider's (gmail.com, hotmail.co.uk, ...)."""
    if domain in FREE_MAIL:
        return True
    labels = domain.split(".")
    ending = labels[1:]
    return (
        labels[0] in FREE_MAIL_NAMES
        and 1 <= len(ending) <= 2
        and all(1 < len(label) <= 3 for label in ending)
    )
