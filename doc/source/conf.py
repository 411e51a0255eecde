"""Sphinx configuration for the migrator documentation."""

import pathlib
import sys

# Local extensions (the policy persona table).
sys.path.insert(0, str(pathlib.Path(__file__).parent / '_ext'))

project = 'migrator'
copyright = 'migrator developers'
extensions = [
    'oslo_config.sphinxext',
    'oslo_policy.sphinxext',
    'cliff.sphinxext',
    'policy_personas',
]
master_doc = 'index'
exclude_patterns = ['_build']
html_theme = 'alabaster'
html_static_path: list = []
config_generator_config_file = '../../etc/migrator/migrator-config-generator.conf'
policy_generator_config_file = '../../etc/migrator/migrator-policy-generator.conf'
suppress_warnings: list = []
