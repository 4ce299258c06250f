"""Turn the bytes of a saved page or text file into text.

Saved Chinese news pages often carry a charset label that does not match their
bytes (a page re-saved as UTF-8 keeps its old ``charset=GB2312`` meta tag), so the
label is only trusted when UTF-8 fails.  The order is:

1. a byte-order mark decides (UTF-8, UTF-16, UTF-32);
2. strict UTF-8 (fast path, no detection library involved);
3. the declared charset (argument, or ``<meta charset>`` / ``http-equiv``),
   with the GB family widened to GB18030;
4. charset-normalizer's best guess;
5. UTF-8 with replacement characters, plus a warning.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = ["DecodedText", "decode_bytes", "sniff_declared_charset"]

# How far into a document the charset declaration is looked for.  Browsers
# scan 1024 bytes; saved pages often have long comments first, so be generous.
_SNIFF_LIMIT = 8192

# UTF-32 BOMs must be checked before UTF-16: FF FE 00 00 starts with FF FE.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels whose byte repertoire GB18030 contains; GB18030 decodes all of them
# and also the extra characters real "gb2312" pages tend to use.
_GB_FAMILY = {"gb2312", "gbk", "x-gbk", "cp936", "ms936", "windows-936", "gb_2312-80",
              "csgb2312", "chinese", "iso-ir-58", "gb18030", "euc-cn", "x-euc-cn", "hz-gb-2312"}

# WHATWG maps these labels to windows-1252, which is what such pages really use.
_LATIN1_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii",
                  "iso_8859-1", "cp819", "ibm819", "csisolatin1", "windows-1252", "cp1252"}

_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.+\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(
    rb"""<\?xml[^>]*?encoding\s*=\s*["']([a-zA-Z0-9_:.+\-]+)""", re.IGNORECASE)

# charset-normalizer is slow on big inputs; a prefix is enough to pick an encoding.
_DETECT_LIMIT = 64 * 1024


@dataclass(frozen=True)
class DecodedText:
    """Decoded text, the codec that produced it, and why it may be doubtful."""

    text: str
    encoding: str
    warning: str | None = None


def sniff_declared_charset(head: bytes) -> str | None:
    """Return the charset label declared in an HTML/XML head, lower-cased, or None.

    Looks at ``<meta charset=...>``, ``<meta http-equiv=... content="...; charset=...">``
    and the XML declaration, within the first few kilobytes only.
    """
    head = head[:_SNIFF_LIMIT]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if match is None:
        return None
    return match.group(1).decode("ascii", "ignore").strip().lower() or None


def decode_bytes(data: bytes, declared: str | None = None) -> DecodedText:
    """Decode ``data`` following BOM > UTF-8 > declared charset > detection > lossy UTF-8.

    ``declared`` (e.g. from an HTTP header or front matter) takes precedence over
    a charset sniffed from the document head.  Never raises.
    """
    bom_result = _decode_with_bom(data)
    if bom_result is not None:
        return bom_result

    label = declared or sniff_declared_charset(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if _is_truncated_utf8(error, len(data)):
            return DecodedText(
                data.decode("utf-8", errors="replace"),
                "utf-8",
                "UTF-8 text ends in an incomplete character; it was replaced",
            )
    else:
        return DecodedText(text, "utf-8", _mislabel_warning(label, data))

    declared_result = _decode_declared(data, label)
    if declared_result is not None:
        return declared_result

    detected = _decode_detected(data, label)
    if detected is not None:
        return detected

    return DecodedText(
        data.decode("utf-8", errors="replace"),
        "utf-8",
        "could not determine the encoding; decoded as UTF-8 with replacement characters",
    )


def _decode_with_bom(data: bytes) -> DecodedText | None:
    """Decode by byte-order mark, which outranks any declared charset."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            payload = data[len(bom):]
            try:
                return DecodedText(payload.decode(codec), codec)
            except UnicodeDecodeError:
                return DecodedText(
                    payload.decode(codec, errors="replace"),
                    codec,
                    f"invalid {codec} bytes after the byte-order mark were replaced",
                )
    return None


def _is_truncated_utf8(error: UnicodeDecodeError, size: int) -> bool:
    """True when the only UTF-8 problem is a multibyte character cut off at the end."""
    return error.reason == "unexpected end of data" and error.start >= size - 3


def _codec_for_label(label: str | None) -> str | None:
    """Map a declared charset label to the Python codec to use, or None if unknown."""
    if not label:
        return None
    label = label.strip().lower()
    if label in _GB_FAMILY:
        return "gb18030"
    if label in _LATIN1_LABELS:
        return "cp1252"
    if label in {"big5", "big5-hkscs", "x-x-big5", "cn-big5"}:
        return "big5hkscs"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # An ASCII meta tag cannot really be UTF-16/32 text; browsers treat it as UTF-8.
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return name


def _mislabel_warning(label: str | None, data: bytes) -> str | None:
    """Note when non-ASCII bytes are valid UTF-8 but were labelled otherwise."""
    codec = _codec_for_label(label)
    if codec is None or codec in {"utf-8", "utf_8"} or data.isascii():
        return None
    return f"declared charset {label!r} ignored: the bytes are valid UTF-8"


def _decode_declared(data: bytes, label: str | None) -> DecodedText | None:
    """Decode strictly with the declared charset; None if absent or it does not fit."""
    codec = _codec_for_label(label)
    if codec is None:
        return None
    candidates = [codec, "latin-1"] if codec == "cp1252" else [codec]
    for candidate in candidates:
        try:
            return DecodedText(data.decode(candidate), candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def _decode_detected(data: bytes, label: str | None) -> DecodedText | None:
    """Decode with charset-normalizer's best guess (GB family widened to GB18030)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - dependency is declared
        return None
    try:
        results = from_bytes(data[:_DETECT_LIMIT])
        best = results.best()
        if best is not None:
            best = _prefer_common_on_tie(best, list(results))
    except Exception:  # noqa: BLE001 - detection must never break loading
        return None
    if best is None or not best.encoding:
        return None
    codec = _codec_for_label(best.encoding) or best.encoding
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        # The prefix fitted but the full data does not (e.g. a cut multibyte char).
        try:
            text = data.decode(codec, errors="replace")
        except LookupError:
            return None
        return DecodedText(text, codec, f"encoding guessed as {codec}; invalid bytes were replaced")
    reason = f"declared charset {label!r} did not fit; " if label else ""
    return DecodedText(text, codec, f"{reason}encoding guessed as {codec}")


# When charset-normalizer scores several codecs exactly alike (short text: "Café à Pékin"
# fits cp1250 as well as cp1252, and cp1250 reads "à" as "ŕ"), take the one such files
# are really written in: the GB family for Chinese, else windows-1252 (WHATWG's default).
_PREFERRED_ON_TIE = ("gb18030", "cp1252")


def _prefer_common_on_tie(best, results):
    tied = [m for m in results if m.chaos == best.chaos and m.coherence == best.coherence]
    for preferred in _PREFERRED_ON_TIE:
        for match in tied:
            if _codec_for_label(match.encoding) == preferred:
                return match
    return best
