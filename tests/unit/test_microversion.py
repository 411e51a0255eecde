"""Guards on the microversion window and negotiation (no HTTP)."""

import pathlib
import re

import pytest

from migrator import exception
from migrator.api import microversion as mv
from migrator.api import migrator_api


def _named_versions() -> dict:
    """Every module-level (major, minor) constant, by name."""
    return {name: value for name, value in vars(mv).items()
            if name.isupper() and isinstance(value, tuple) and len(value) == 2
            and all(isinstance(part, int) for part in value)}


def test_window_is_2_1_to_2_56():
    assert mv.MIN_VERSION_STRING == '2.1'
    assert mv.MAX_VERSION_STRING == '2.56'
    assert mv.MIN_VERSION < mv.MAX_VERSION


def test_versions_list_ascends_without_duplicates():
    versions = [version for version, _comment in mv.VERSIONS]
    assert versions == sorted(versions)
    assert len(versions) == len(set(versions))
    assert versions[0] == tuple(mv.MIN_VERSION)
    assert versions[-1] == tuple(mv.MAX_VERSION)


def test_every_version_has_a_one_line_comment():
    for version, comment in mv.VERSIONS:
        assert comment and '\n' not in comment, version


def test_named_versions_are_inside_the_window_and_listed():
    listed = {version for version, _comment in mv.VERSIONS}
    named = _named_versions()
    assert 'MIGRATE_HOST_FORCE' in named
    for name, version in named.items():
        assert tuple(mv.MIN_VERSION) <= version <= tuple(mv.MAX_VERSION), name
        assert version in listed, '%s %s is not in VERSIONS' % (name, version)


def test_listed_versions_all_have_a_name():
    named = set(_named_versions().values())
    for version, comment in mv.VERSIONS:
        assert version in named, '%s (%s) has no named constant' % (version, comment)


def test_the_migrate_change_is_the_maximum():
    assert mv.MIGRATE_HOST_FORCE == tuple(mv.MAX_VERSION)


@pytest.mark.parametrize('headers, expected', [
    ({}, (2, 1)),
    ({'OpenStack-API-Version': 'compute 2.19'}, (2, 19)),
    ({'X-OpenStack-Nova-API-Version': '2.30'}, (2, 30)),
    ({'OpenStack-API-Version': 'compute 2.10',
      'X-OpenStack-Nova-API-Version': '2.30'}, (2, 10)),
    ({'OpenStack-API-Version': 'compute latest'}, (2, 56)),
    ({'X-OpenStack-Nova-API-Version': 'latest'}, (2, 56)),
    ({'OpenStack-API-Version': 'volume 3.5'}, (2, 1)),
])
def test_negotiate(headers, expected):
    assert tuple(mv.negotiate(headers)) == expected


@pytest.mark.parametrize('value', ['2.x', 'two', '2', '2.1.1', '2.1a'])
def test_malformed_version_is_400(value):
    with pytest.raises(exception.InvalidVersionHeader) as caught:
        mv.negotiate({'OpenStack-API-Version': 'compute %s' % value})
    assert caught.value.code == 400


@pytest.mark.parametrize('value', ['2.0', '2.57', '3.0', '1.1'])
def test_out_of_range_is_406_naming_the_window(value):
    with pytest.raises(exception.VersionNotSupported) as caught:
        mv.negotiate({'OpenStack-API-Version': 'compute %s' % value})
    assert caught.value.code == 406
    assert caught.value.format_message() == (
        'Version %s is not supported by the API. Minimum is 2.1 and '
        'maximum is 2.56.' % value)


def test_headers_for_carries_both_headers_and_vary():
    assert mv.headers_for((2, 47)) == {
        'OpenStack-API-Version': 'compute 2.47',
        'X-OpenStack-Nova-API-Version': '2.47',
        'Vary': 'OpenStack-API-Version, X-OpenStack-Nova-API-Version'}


def test_version_history_documents_every_listed_version():
    history = pathlib.Path(mv.__file__).with_name('rest_api_version_history.rst')
    headings = re.findall(r'^(\d+\.\d+)\n-+$', history.read_text(), re.MULTILINE)
    assert headings == ['%d.%d' % version for version, _comment in
                        mv.VERSIONS + list(migrator_api.VERSIONS)]
