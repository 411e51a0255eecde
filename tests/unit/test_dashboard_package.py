"""The dashboard's files are package data, load nothing from elsewhere and
never write HTML from data."""

import configparser
import importlib.resources
import pathlib
import re

from migrator.api import dashboard

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_every_served_file_is_package_data():
    config = configparser.ConfigParser()
    config.read(ROOT / 'setup.cfg')
    declared = {name.strip() for name in
                config['options.package_data']['migrator'].split(',')}
    package = importlib.resources.files('migrator.dashboard')
    for name in dashboard.FILES:
        assert 'dashboard/%s' % name in declared
        assert package.joinpath(name).is_file()


def test_nothing_is_loaded_from_elsewhere():
    package = importlib.resources.files('migrator.dashboard')
    for name in dashboard.FILES:
        text = package.joinpath(name).read_text()
        assert not re.search(r'(src|href)="(https?:)?//', text), name
        assert '@import' not in text and 'url(http' not in text, name


def test_the_script_never_writes_html():
    text = importlib.resources.files('migrator.dashboard').joinpath('app.js').read_text()
    for sink in ('innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write',
                 'eval(', 'new Function'):
        assert sink not in text, sink
