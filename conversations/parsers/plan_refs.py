"""Plan links typed in M1: a message split into its references (``NS-03, MP-12 แผนย่อย 2, หมุดหมาย 12``), and each
reference that names a plan the way people write it turned into the catalog code it means.

Pure: no catalog here. A reference that is neither a code nor a plan by number is left to the catalog's word
search (``conversations/catalog_view.py``).
"""

from __future__ import annotations

import re

from conversations.parsers.thai_text import normalize_input

MAX_REFERENCES = 10
_SPLIT = re.compile(r"\s*(?:[,;\n、]|\sและ\s|\s\+\s)\s*")
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)+$|^[A-Za-z]{2,}[0-9]*$")
_NO = r"(?:ที่|ข้อ|no\.?)?\s*"
# "ยุทธศาสตร์ชาติ 3", "ยุทธศาสตร์ที่ 3", "NS 3"
_STRATEGY = re.compile(rf"^(?:ns|ยุทธศาสตร์(?:ชาติ)?(?:ด้าน)?)\s*-?\s*{_NO}(\d{{1,2}})$")
# "แผนแม่บท 12", "MP-12", "MP 12 แผนย่อย 2", "แผนแม่บทที่ 12 แผนย่อยที่ 1 เป้าหมาย", "MP-12-01 Y1"
_MASTER = re.compile(
    rf"^(?:mp|แผนแม่บท(?:ฯ)?|แม่บท)\s*-?\s*{_NO}(\d{{1,2}})"
    rf"(?:\s*(?:-|แผนย่อย|sub)\s*{_NO}(\d{{1,2}})"
    r"(?:\s*-?\s*(?:y\s*(\d)|เป้าหมาย(?:แผนย่อย)?(?:\s*y?\s*(\d))?))?)?$"
)
# "หมุดหมาย 12" (the 13th NESDP's milestones)
_MILESTONE = re.compile(rf"^(?:หมุดหมาย|nesdp13)\s*-?\s*{_NO}(\d{{1,2}})$")
# "แผนปฏิรูปด้าน 9" is rare; "แผนปฏิรูป 9", "แผนการปฏิรูปประเทศ 9", "RF 9"
_REFORM = re.compile(rf"^(?:rf|แผน(?:การ)?ปฏิรูป(?:ประเทศ)?)\s*-?\s*{_NO}(\d{{1,2}})$")


def split_references(text: str) -> list[str]:
    """The references of one message, in order: split at commas, semicolons, new lines and ``และ``."""
    parts = [part.strip() for part in _SPLIT.split(text.strip())]
    return [part for part in parts if part][:MAX_REFERENCES]


def code_of(reference: str) -> str | None:
    """The catalog code a reference means (``NS-03``, ``MP-12-02``, ``MP-12-01-Y1``, ``NESDP13-12``, ``RF-09``),
    upper-cased as typed when it looks like a code itself, or None when it is words to search for.

    A sub-plan's target (``MP-12 แผนย่อย 1 เป้าหมาย``) is given as its ``-Y1`` code; the catalog looks it up.
    """
    body = " ".join(normalize_input(reference).casefold().split())
    if (match := _STRATEGY.match(body)) is not None:
        return f"NS-{int(match[1]):02d}"
    if (match := _MASTER.match(body)) is not None:
        code = f"MP-{int(match[1]):02d}"
        if match[2] is None:
            return code
        code += f"-{int(match[2]):02d}"
        wants_target = match[3] is not None or "เป้าหมาย" in body
        return f"{code}-Y{match[3] or match[4] or 1}" if wants_target else code
    if (match := _MILESTONE.match(body)) is not None:
        return f"NESDP13-{int(match[1]):02d}"
    if (match := _REFORM.match(body)) is not None:
        return f"RF-{int(match[1]):02d}"
    compact = body.replace(" ", "")
    if _CODE.match(compact) and any(char.isdigit() for char in compact):
        return compact.upper()
    return None
