"""JSON with orjson where it gives what the standard library would.

orjson encodes and parses about ten to twenty times faster than ``json``.
Where the two differ, the standard library decides: orjson refuses to
encode an integer wider than 64 bits, and parses one as a float, so such
documents go through ``json``.
"""

import json
import re

import orjson

# Nineteen digits in a row may be an integer past 64 bits.
_LONG_NUMBER = re.compile(r'\d{19}')


def dumps(document) -> bytes:
    """``document`` as UTF-8 JSON, keys as the standard library writes them."""
    try:
        return orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        return json.dumps(document, ensure_ascii=False).encode()


def loads(text: str | bytes):
    """The document ``text`` holds (a column the database keeps as JSON)."""
    if _LONG_NUMBER.search(text if isinstance(text, str) else text.decode()):
        return json.loads(text)
    return orjson.loads(text)
