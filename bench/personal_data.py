"""How long each personal-data check takes on 1 MB of adversarial text.

    .venv/bin/python bench/personal_data.py

Every check should take time linear in the text: about as long on a run of one
character that never becomes personal data as on ordinary text. Before the
patterns were rewritten, the e-mail check took 2.1 s on 20 000 word characters
and 8.3 s on 40 000 (quadratic); 1 MB would have taken hours. Not a test: the
suite checks only that each check answers right on such text
(promises/tests/test_personal_data.py).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarlofte.settings_test")

import django  # noqa: E402

django.setup()

from promises import validators  # noqa: E402

MB = 1_000_000
ADVERSARIAL = {
    "word characters": "a" * MB,
    "local parts": "a." * (MB // 2),
    "at signs without a domain": "a@" * (MB // 2),
    "a domain without a dot": "a@" + "b" * MB,
    "digits": "0" * MB,
    "phone prefixes": "+46 " * (MB // 4),
    "name label, then spaces": "namn" + " " * MB,
    "first names before places": "Anna Parkvägen " * (MB // 15),
    "hyphenated first names": "Anna-" * (MB // 5),
    "zero-width spaces": "a\u200b" * (MB // 2),
    "fullwidth digits": "０" * MB,
    "capitals": "ANNA " * (MB // 5),
}
CHECKS = {
    "personnummer": validators.PERSONAL_IDENTITY_NUMBER.search,
    "e-post": validators.EMAIL_ADDRESS.search,
    "telefon": validators.PHONE_NUMBER.search,
    "namn:": validators.NAME_LABEL.search,
    "förnamn efternamn": validators.FULL_NAME.search,
    "normalise": validators.normalise,
    "all checks": validators.find_personal_data,
}


def main() -> None:
    print(f"{'text (1 MB)':28}" + "".join(f"{name:>19}" for name in CHECKS))
    slowest = 0.0
    for label, text in ADVERSARIAL.items():
        row = f"{label:28}"
        for check in CHECKS.values():
            start = time.perf_counter()
            check(text)
            took = time.perf_counter() - start
            slowest = max(slowest, took)
            row += f"{took * 1000:17.0f}ms"
        print(row)
    print(f"slowest: {slowest:.2f} s")


if __name__ == "__main__":
    main()
