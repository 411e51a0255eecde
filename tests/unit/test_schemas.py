"""Request schemas: well formed, strict where Nova is, and 400s that name
the offending field."""

import importlib

import jsonschema
import pytest

from migrator import exception
from migrator.api import schemas
from migrator.api.schemas import flavors, server_actions, servers, services, types

SCHEMA_MODULES = ['aggregates', 'flavors', 'hypervisors', 'migrate_server',
                  'migrations', 'server_actions', 'server_groups', 'servers',
                  'services']


def _module_schemas():
    for name in SCHEMA_MODULES:
        module = importlib.import_module('migrator.api.schemas.%s' % name)
        for attr, value in vars(module).items():
            if isinstance(value, dict) and value.get('type') == 'object':
                yield '%s.%s' % (name, attr), value


SCHEMAS = dict(_module_schemas())


def _error(schema, value) -> str:
    with pytest.raises(exception.ValidationError) as caught:
        schemas.validate(schema, value)
    assert caught.value.code == 400
    return caught.value.format_message()


@pytest.mark.parametrize('name', sorted(SCHEMAS))
def test_every_schema_is_valid_draft4(name):
    jsonschema.Draft4Validator.check_schema(SCHEMAS[name])


@pytest.mark.parametrize('name', sorted(
    n for n, s in SCHEMAS.items() if 'query' not in n and 'properties' in s))
def test_bodies_reject_unknown_keys(name):
    schema = SCHEMAS[name]
    assert schema.get('additionalProperties') is False, name
    for key, sub in schema['properties'].items():
        if isinstance(sub, dict) and sub.get('type') == 'object' \
                and 'properties' in sub and key != 'os:scheduler_hints':
            assert sub.get('additionalProperties') is False, (name, key)


def test_required_names_the_missing_field():
    message = _error(servers.create_v21, {'server': {'name': 'a'}})
    assert message == ("Invalid input for field/attribute server/flavorRef. "
                       "'flavorRef' is a required property.")


def test_unknown_key_names_the_key_and_what_is_allowed():
    message = _error(flavors.update_v255, {'flavor': {'description': 'd', 'x': 1}})
    assert 'flavor' in message
    assert "'x' was unexpected" in message
    assert 'Allowed keys: description.' in message


def test_a_key_outside_the_patterns_names_the_patterns_only():
    message = _error(flavors.extra_specs_create, {'extra_specs': {'disk/type': 'ssd'}})
    assert message == ("Invalid input for field/attribute extra_specs. 'disk/type' "
                       "does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'.")


def test_wrong_type_names_the_field_and_value():
    message = _error(servers.create_v21, {'server': {'name': 'a', 'flavorRef': '1',
                                                     'metadata': {'k': 3}}})
    assert 'server/metadata/k' in message
    assert 'Value: 3' in message


def test_long_values_are_cut_in_messages():
    message = _error(servers.create_v21, {'server': {'name': 'x' * 1000,
                                                     'flavorRef': '1'}})
    assert 'server/name' in message
    assert len(message) < 600


def test_top_level_type_names_the_body():
    assert 'field/attribute body' in _error(servers.create_v21, [])


def test_description_only_from_2_19():
    body = {'server': {'name': 'a', 'flavorRef': '1', 'description': 'hello'}}
    assert servers.create((2, 18)) is servers.create_v21
    assert servers.create((2, 19)) is servers.create_v219
    schemas.validate(servers.create((2, 19)), body)
    assert 'description' in _error(servers.create((2, 18)), body)


def test_image_and_networks_are_optional_and_accepted():
    schemas.validate(servers.create_v21, {'server': {'name': 'a', 'flavorRef': '1'}})
    schemas.validate(servers.create_v21, {'server': {
        'name': 'a', 'flavorRef': '1', 'imageRef': 'cirros', 'networks': 'auto'}})
    schemas.validate(servers.create_v21, {'server': {
        'name': 'a', 'flavorRef': '1',
        'networks': [{'uuid': 'b1a1b2c3-0000-4000-8000-000000000001'}]}})


@pytest.mark.parametrize('value', ['0', '1.5', 1.5, 0, -1])
def test_rxtx_factor(value):
    body = {'flavor': {'name': 'f', 'ram': 1, 'vcpus': 1, 'disk': 0,
                       'rxtx_factor': value}}
    if value in ('1.5', 1.5, '0'):
        schemas.validate(flavors.create_v21, body)  # '0' is refused by the handler
    else:
        assert 'rxtx_factor' in _error(flavors.create_v21, body)


def test_legacy_service_body_gains_forced_down_at_2_11():
    body = {'host': 'c1', 'binary': 'migrator-compute', 'forced_down': True}
    schemas.validate(services.legacy_action_v211, body)
    assert 'forced_down' in _error(services.legacy_action_v21, body)


@pytest.mark.parametrize('body', [{'os-stop': None}, {'os-stop': {}}])
def test_null_actions_accept_null_or_empty(body):
    schemas.validate(server_actions.os_stop, body)


def test_null_actions_refuse_arguments():
    assert 'force' in _error(server_actions.os_stop, {'os-stop': {'force': True}})


@pytest.mark.parametrize('value, expected', [
    ('true', True), ('False', False), ('1', True), ('0', False), ('yes', True),
    ('', True), (True, True), (False, False)])
def test_strict_bool(value, expected):
    assert types.strict_bool('all_tenants', value) is expected


def test_strict_bool_refuses_anything_else():
    with pytest.raises(exception.ValidationError) as caught:
        types.strict_bool('all_tenants', 'maybe')
    assert 'all_tenants' in caught.value.format_message()
    assert 'maybe' in caught.value.format_message()


def test_validators_are_compiled_once():
    first = schemas.validator_for(servers.create_v21)
    assert schemas.validator_for(servers.create_v21) is first


@pytest.mark.parametrize('value', ['1\n', 'web\n'])
def test_a_pattern_ending_in_dollar_ends_the_value(value):
    """As JSON Schema (ECMA 262) reads "$", not as Python's re does; the
    message shows the pattern as the schema writes it."""
    pattern = {'type': 'object', 'properties': {
        'v': {'type': 'string', 'pattern': '^[a-z0-9]+$'}}}
    assert jsonschema.Draft4Validator(pattern).is_valid({'v': value})
    assert "does not match '^[a-z0-9]+$'" in _error(pattern, {'v': value})
    schemas.validate(pattern, {'v': value.rstrip()})


@pytest.mark.parametrize('pattern, value, valid', [
    ('^(a|b)$|^c$', 'a\n', False),
    ('^(a|b)$|^c$', 'c', True),
    ('^a[$]$', 'a$', True),
    ('^a[$]$', 'a$\n', False),
    ('^a\\$$', 'a$', True),
    ('^a\\\\$', 'a\\\n', False),
    ('^a\\\\$', 'a\\', True),
    ('^[]$]+$', ']$]', True),
    ('^[^]$\\n]+$', 'ab\n', False),
    ('^[^]$\\n]+$', 'ab', True),
    ('^[^]$\\n]+$', 'a$', False),
    ('^[\\]]$', ']', True),
    ('^[\\]]$', ']\n', False),
    ('^[\\]$]$', '$', True),
])
def test_every_dollar_anchor_ends_the_value(pattern, value, valid):
    """Anchors before an alternative too; a "$" escaped or in a class is
    a dollar sign."""
    schema = {'type': 'object', 'properties': {
        'v': {'type': 'string', 'pattern': pattern}}}
    assert schemas.validator_for(schema).is_valid({'v': value}) is valid


def test_a_key_ending_in_a_newline_matches_no_key_pattern():
    message = _error(types.metadata, {'k\n': 'v'})
    assert 'k\\n' in message
    schemas.validate(types.metadata, {'k': 'v'})
    message = _error(flavors.extra_specs_create, {'extra_specs': {'hw:cpu\n': '1'}})
    assert 'hw:cpu' in message
    schemas.validate(flavors.extra_specs_create, {'extra_specs': {'hw:cpu': '1'}})


def test_a_name_may_not_end_in_a_newline():
    message = _error(servers.create_v21, {'server': {'name': 'web\n', 'flavorRef': '1'}})
    assert message.startswith('Invalid input for field/attribute server/name.')
