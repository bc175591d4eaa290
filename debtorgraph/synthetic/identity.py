"""Valid-looking Chinese identifiers: resident ID, USCC, phones, bank cards, plates.

Every function takes the generator's ``random.Random`` so that output depends on the
seed only. Check digits follow the standards cited in docs/domain.md section 6.
"""
from __future__ import annotations

import logging
import random
from datetime import date

log = logging.getLogger(__name__)

_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RIC_CHECK = "10X98765432"
# GB 32100 alphabet: 0-9 and A-Z without I, O, S, V, Z
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# GB 11714 organisation code: 8 characters then a check character
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                    "152", "155", "156", "157", "158", "159", "177", "180", "181", "182", "183",
                    "185", "186", "187", "188", "189", "191", "199")
_PLATE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


def ric_check_digit(first17: str) -> str:
    """Return the GB 11643 check character of the first 17 digits of a resident ID.

    >>> ric_check_digit("11010519491231002")
    'X'
    """
    total = sum(int(c) * w for c, w in zip(first17, _RIC_WEIGHTS))
    return _RIC_CHECK[total % 11]


def make_resident_id(rng: random.Random, division: str, birth: date, male: bool) -> str:
    """Return an 18-digit resident ID for a person born on ``birth`` in ``division``.

    The sequence number is odd for men and even for women, as GB 11643 prescribes.
    """
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    first17 = f"{division}{birth:%Y%m%d}{seq:03d}"
    return first17 + ric_check_digit(first17)


def uscc_check_digit(first17: str) -> str:
    """Return the GB 32100 check character of the first 17 characters of a USCC.

    >>> uscc_check_digit("91350100M000100Y4")
    '3'
    """
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def _org_code(rng: random.Random) -> str:
    body = "".join(rng.choice(_ORG_ALPHABET[:10]) if i else rng.choice(_ORG_ALPHABET)
                   for i in range(8))
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(body, _ORG_WEIGHTS))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def make_uscc(rng: random.Random, division: str, kind: str = "91") -> str:
    """Return a Unified Social Credit Code: ``kind`` (91 = enterprise, 11 = state organ),
    the 6-digit division code, a GB 11714 organisation code and the check character."""
    first17 = f"{kind}{division}{_org_code(rng)}"
    return first17 + uscc_check_digit(first17)


def make_mobile(rng: random.Random) -> str:
    """Return a mainland mobile number in E.164 form (``+8613912345678``)."""
    return f"+86{rng.choice(_MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"


def make_landline(rng: random.Random, area_code: str) -> str:
    """Return a fixed-line number in E.164 form (``+868362345678``)."""
    return f"+86{area_code}{rng.randrange(2, 9)}{rng.randrange(10**6):06d}"


def luhn_complete(body: str) -> str:
    """Append the Luhn check digit to ``body``.

    >>> luhn_complete("7992739871")
    '79927398713'
    """
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def make_card(rng: random.Random, bin_: str, length: int = 19) -> str:
    """Return a bank card number with the given BIN that passes the Luhn check."""
    body = bin_ + "".join(str(rng.randrange(10)) for _ in range(length - len(bin_) - 1))
    return luhn_complete(body)


def make_corporate_account(rng: random.Random) -> str:
    """Return a corporate settlement account number (these often fail Luhn, as in life)."""
    return "".join(str(rng.randrange(10)) for _ in range(rng.choice((17, 19, 20))))


def make_plate(rng: random.Random, prefix: str) -> str:
    """Return a licence plate such as ``川V3A5K2``."""
    return prefix + "".join(rng.choice(_PLATE_CHARS) for _ in range(5))


def make_wxid(rng: random.Random) -> str:
    """Return a WeChat account id (``wxid_`` and 14 lower-case characters)."""
    return "wxid_" + "".join(rng.choice("abcdefghijkmnpqrstuvwxyz0123456789") for _ in range(14))
