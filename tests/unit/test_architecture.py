"""The layers of docs/architecture.rst, held by reading the tree's imports.

HTTP (``migrator/api``) -> operations (``migrator/operations``) -> state
(``migrator/db``, ``migrator/objects``, the claims): data flows one way.
"""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2] / 'migrator'


def _modules(package: str) -> list[pathlib.Path]:
    return sorted((ROOT / package).rglob('*.py'))


def _imports(path: pathlib.Path) -> set[str]:
    """Every module ``path`` imports, by its full dotted name."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update('%s.%s' % (node.module, alias.name) for alias in node.names)
    return found


def _offending(package: str, forbidden: tuple, allowed: tuple = ()) -> dict:
    result = {}
    for path in _modules(package):
        bad = sorted(name for name in _imports(path)
                     if name.startswith(forbidden) and not name.startswith(allowed))
        if bad:
            result[str(path.relative_to(ROOT.parent))] = bad
    return result


def test_resources_touch_neither_the_database_nor_each_other():
    """A handler is policy, validation, one call to the operations layer and
    serialisation: no SQL, no state-layer module, no other resource."""
    assert _offending('api/resources', (
        'sqlalchemy', 'migrator.db', 'migrator.objects', 'migrator.scheduler',
        'migrator.conductor', 'migrator.compute', 'migrator.api.resources.')) == {}


def test_views_read_no_database():
    assert _offending('api/views', ('sqlalchemy', 'migrator.db',
                                    'migrator.objects')) == {}


def test_operations_know_nothing_of_http():
    assert _offending('operations', ('falcon', 'webob', 'migrator.api')) == {}


@pytest.mark.parametrize('package', ['db', 'objects', 'scheduler', 'compute'])
def test_the_state_layer_and_the_services_below_call_no_operation(package):
    """Operations call down into state; nothing there calls back up."""
    assert _offending(package, ('migrator.operations', 'migrator.api')) == {}


def test_the_conductor_calls_no_http():
    assert _offending('conductor', ('falcon', 'migrator.api')) == {}


def test_the_api_route_vocabulary_imports_no_resource():
    """routing.py is what resources and the table share; it imports neither,
    so no import circle can form through it."""
    imports = _imports(ROOT / 'api' / 'routing.py')
    assert not [name for name in imports
                if name.startswith(('migrator.api.resources', 'migrator.api.routes'))]
