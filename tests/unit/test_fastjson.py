"""orjson where it gives what the standard library would, ``json`` where not."""

import json

import pytest

from migrator.common import fastjson

DOCUMENTS = [
    {'servers': [{'id': 'a', 'metadata': {'k': 'v'}, 'progress': 0,
                  'locked': False, 'key_name': None, 'name': 'é ☃'}]},
    {'wide': 123456789012345678901234567890},
    {'negative': -98765432109876543210},
    {'float': 0.1, 'exp': 1e-7},
    [1, 'two', None, True],
]


@pytest.mark.parametrize('document', DOCUMENTS)
def test_dumps_reads_back_as_the_standard_library_would(document):
    assert json.loads(fastjson.dumps(document)) == document


def test_dumps_writes_non_string_keys_as_strings():
    assert json.loads(fastjson.dumps({1: 'a', None: 'b'})) == \
        json.loads(json.dumps({1: 'a', None: 'b'}))


@pytest.mark.parametrize('document', DOCUMENTS)
def test_loads_gives_what_json_gives(document):
    text = json.dumps(document)
    found = fastjson.loads(text)
    assert found == json.loads(text)
    assert fastjson.loads(text.encode()) == found


def test_a_wide_integer_stays_an_integer():
    found = fastjson.loads('{"hint": 123456789012345678901234567890}')
    assert found['hint'] == 123456789012345678901234567890
    assert isinstance(found['hint'], int)


def test_a_json_column_is_parsed_by_fastjson(tmp_path):
    from migrator.db import api as db_api
    db = db_api.Database('sqlite:///%s' % (tmp_path / 'm.db'))
    assert db.engine.dialect._json_deserializer is fastjson.loads
