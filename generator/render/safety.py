"""Text made safe for every output format before it reaches a template or feedgen."""
from __future__ import annotations

import json
import re
from typing import Any

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str | None) -> str:
    """Characters XML 1.0 forbids (C0 controls, lone surrogates, U+FFFE/F) never reach a page or feed."""
    return _XML_INVALID.sub("", text or "")


def json_for_script(value: Any) -> str:
    """JSON safe inside <script type="application/ld+json">: `<`, `>` and `&` are escaped."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
