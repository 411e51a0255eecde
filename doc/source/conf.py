"""Sphinx configuration for the migrator documentation."""

project = 'migrator'
copyright = 'migrator developers'
extensions = [
    'oslo_config.sphinxext',
    'oslo_policy.sphinxext',
    'cliff.sphinxext',
]
master_doc = 'index'
exclude_patterns = ['_build']
html_theme = 'alabaster'
html_static_path: list = []
config_generator_config_file = '../../etc/migrator/migrator-config-generator.conf'
policy_generator_config_file = '../../etc/migrator/migrator-policy-generator.conf'
suppress_warnings: list = []
