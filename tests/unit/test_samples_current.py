"""The committed configuration and policy samples follow the code: a new
option or rule means a regenerated sample."""

import pathlib

from oslo_config import generator as config_generator
from oslo_policy import generator as policy_generator

ETC = pathlib.Path(__file__).resolve().parents[2] / 'etc' / 'migrator'


def _options(text: str) -> set:
    """(section, '#option = default') of a sample."""
    found, section = set(), None
    for line in text.splitlines():
        if line.startswith('['):
            section = line
        elif line.startswith('#') and ' = ' in line and not line.startswith('# '):
            found.add((section, line))
    return found


def test_the_configuration_sample_holds_every_option_of_migrator(tmp_path):
    """migrator's own options with their defaults (the libraries' options
    follow their releases, so only their presence is the sample's job)."""
    out = tmp_path / 'migrator.conf.sample'
    config_generator.main(['--namespace', 'migrator', '--output-file', str(out)])
    missing = _options(out.read_text()) - _options(
        (ETC / 'migrator.conf.sample').read_text())
    assert not missing, ('regenerate: oslo-config-generator --config-file '
                         'etc/migrator/migrator-config-generator.conf', sorted(missing))


def test_the_policy_sample_is_current(tmp_path):
    out = tmp_path / 'policy.yaml.sample'
    policy_generator.generate_sample(args=[
        '--config-file', str(ETC / 'migrator-policy-generator.conf'),
        '--output-file', str(out)])
    assert out.read_text() == (ETC / 'policy.yaml.sample').read_text(), (
        'regenerate: oslopolicy-sample-generator --config-file '
        'etc/migrator/migrator-policy-generator.conf')
