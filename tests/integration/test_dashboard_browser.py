"""The operator dashboard in a real browser: Debian's headless chromium,
driven by selenium through chromedriver, against ``migrator-all`` running
as its own process.

After every test the browser's console holds no error or warning and no
response the page received was a 5xx (chromium's own network log).
"""

import json
import os
import shutil
import time

import pytest
import requests

from tests import fixtures
from tests.integration import allinone

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

ADMIN = 'admin:admin'
HOSTS = ('b1', 'b2', 'b3')
CHROMIUM = os.environ.get('MIGRATOR_TEST_CHROMIUM', '/usr/bin/chromium')
CHROMEDRIVER = os.environ.get('MIGRATOR_TEST_CHROMEDRIVER', '/usr/bin/chromedriver')


@pytest.fixture(scope='module')
def service(tmp_path_factory):
    # A 1 GB disk copies in about 8 s: the page, updated every 3 s, sees a
    # copy at two points at least (at 4 s it could see it once, and did).
    with allinone.running(tmp_path_factory.mktemp('dashboard'), hosts=HOSTS,
                          conf={'compute': {'disk_copy_rate_mb': 128}}) as running:
        yield running


@pytest.fixture(scope='module')
def browser():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as error:
        fixtures.unavailable('selenium', error)
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        fixtures.unavailable('chromium', '%s or %s is missing (Debian packages '
                             'chromium and chromium-driver)' % (CHROMIUM, CHROMEDRIVER))
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ('--headless=new', '--no-sandbox', '--disable-gpu',
                     '--disable-dev-shm-usage', '--window-size=1280,800'):
        options.add_argument(argument)
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL', 'performance': 'ALL'})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


@pytest.fixture
def page(service, browser):
    """The dashboard, signed out; afterwards no console error or warning
    and no 5xx answer in what this test did."""
    browser.get_log('browser')  # what earlier tests left is theirs
    browser.get_log('performance')
    browser.get(service.url('/dashboard/'))
    browser.execute_script('sessionStorage.clear()')
    browser.get(service.url('/dashboard/'))
    yield browser
    problems = [entry for entry in browser.get_log('browser')
                if entry['level'] in ('SEVERE', 'WARNING')]
    assert problems == [], problems
    failed = []
    for entry in browser.get_log('performance'):
        message = json.loads(entry['message'])['message']
        if message.get('method') == 'Network.responseReceived':
            response = message['params']['response']
            if response['status'] >= 500:
                failed.append((response['url'], response['status']))
    assert failed == []


def _wait(condition, what, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        assert time.monotonic() < deadline, 'never: %s' % what
        time.sleep(0.1)


# The page re-renders its tables on every update: what a test reads, it
# reads in one script, never through an element that may be replaced.
def _texts(driver, selector) -> list:
    return driver.execute_script(
        'return [...document.querySelectorAll(arguments[0])].map(e => e.textContent)',
        selector)


def _rows_data(driver, table_id) -> list:
    """Each row of a table: its data-* attributes, its cells' texts."""
    return driver.execute_script(
        "return [...document.querySelectorAll('#' + arguments[0] + ' tbody tr')].map("
        "r => ({data: Object.assign({}, r.dataset), cells: [...r.children].map("
        "c => c.textContent), rc: Object.fromEntries([...r.querySelectorAll("
        "'td[data-rc]')].map(td => [td.dataset.rc, td.textContent]))}))", table_id)


def _click(driver, selector) -> bool:
    return driver.execute_script(
        'const e = document.querySelector(arguments[0]); if (e) e.click(); return !!e',
        selector)


def _by_id(driver, element_id):
    return driver.find_element('id', element_id)


def _sign_in(driver, token=ADMIN):
    _by_id(driver, 'token').send_keys(token)
    _by_id(driver, 'token-form').submit()
    _wait(lambda: _by_id(driver, 'app').is_displayed(), 'signed in')
    _wait(lambda: 'Updated' in _by_id(driver, 'status').text, 'first update')


def _tab(driver, view):
    driver.find_element('css selector', '.tab[data-view="%s"]' % view).click()


def _admin(service, method, path, body=None, version='2.56'):
    resp = service.request(method, path, token=ADMIN, body=body, version=version)
    assert resp.status_code < 300, resp.text
    return resp.json() if resp.content else None


def _migrator(service, method, path, body=None):
    resp = requests.request(method, service.url('/migrator' + path), json=body, headers={
        'X-Auth-Token': ADMIN, 'OpenStack-API-Version': 'migrator 1.2'}, timeout=60)
    assert resp.status_code < 300, resp.text
    return resp.json()


def _boot(service, name):
    server = _admin(service, 'POST', '/servers', {'server': {'name': name,
                                                             'flavorRef': '1'}})['server']
    _wait(lambda: _admin(service, 'GET', '/servers/%s' % server['id'])['server'][
        'status'] == 'ACTIVE', '%s ACTIVE' % name)
    return server['id']


def test_without_a_token_the_page_asks_for_one(service, page):
    assert _by_id(page, 'sign-in').is_displayed()
    assert not _by_id(page, 'app').is_displayed()
    assert requests.get(service.url('/migrator/capacity'), timeout=10).status_code == 401
    assert requests.get(service.url('/v2.1/servers'), timeout=10).status_code == 401
    # A refused token brings the form back with the reason.
    _by_id(page, 'token').send_keys('nobody:x:reader')
    _by_id(page, 'token-form').submit()
    _wait(lambda: _by_id(page, 'sign-in').is_displayed() and
          _by_id(page, 'sign-in-error').text, 'refused')
    assert 'administrator' in _by_id(page, 'sign-in-error').text
    # The update's three reads were refused: the 403s the browser logs are
    # the page's to report, which it did; let the last of them land.
    time.sleep(1)
    page.get_log('browser')


def test_every_host_with_the_numbers_of_the_api(service, page):
    _sign_in(page)
    rows = _wait(lambda: (lambda found: len(found) == len(HOSTS) and found)(
        _rows_data(page, 'hosts')), 'a row per host')
    hypervisors = {h['hypervisor_hostname']: h for h in _admin(
        service, 'GET', '/os-hypervisors/detail', version='2.33')['hypervisors']}
    capacity = {h['host']: h for h in _migrator(service, 'GET', '/capacity')['hosts']}
    assert {r['data']['host'] for r in rows} == set(hypervisors)
    for row in rows:
        host = row['data']['host']
        for rc, used_key in (('VCPU', 'vcpus_used'), ('MEMORY_MB', 'memory_mb_used'),
                             ('DISK_GB', 'local_gb_used')):
            text = row['rc'][rc]
            numbers = capacity[host]['resources'][rc]
            assert text.startswith('used %d' % numbers['used']), text
            assert 'free %d of %d' % (numbers['free'], numbers['capacity']) in text
            assert numbers['used'] == hypervisors[host][used_key] - (
                numbers['reserved'] if rc == 'MEMORY_MB' else 0)
    # Filters: a state nothing is in leaves no row.
    page.find_element('css selector', '#filter-state option[value="down"]').click()
    _wait(lambda: not _rows_data(page, 'hosts'), 'filtered out')
    page.find_element('css selector', '#filter-state option[value=""]').click()


def test_a_migration_appears_copies_and_finishes(service, page):
    server = _boot(service, 'watched')
    _sign_in(page)
    _tab(page, 'moves')
    _admin(service, 'POST', '/servers/%s/action' % server, {'migrate': None})
    migration = _wait(lambda: _migrator(service, 'GET', '/migrations?server_id=%s'
                                        % server)['migrations'], 'recorded')[0]
    row = '#moves-flight tr[data-migration="%s"]' % migration['uuid']
    seen = _wait(lambda: _texts(page, row), 'in flight')[0]
    assert migration['server_id'][:8] in seen
    progress = set()

    def copied():
        progress.update(_texts(page, row + ' .progress'))
        return 'finished (VERIFY_RESIZE)' in _texts(page, row + ' .phase')
    _wait(copied, 'copied', timeout=60)
    assert len(progress) >= 2, progress  # the copy was seen moving
    _admin(service, 'POST', '/servers/%s/action' % server, {'confirmResize': None})
    ended = '#moves-ended tr[data-migration="%s"] .status' % migration['uuid']
    _wait(lambda: 'confirmed' in _texts(page, ended), 'confirmed')
    assert not _texts(page, row)


def test_a_drain_progresses_to_complete(service, page):
    first = _boot(service, 'drained-1')
    host = _admin(service, 'GET', '/servers/%s' % first)['server']['OS-EXT-SRV-ATTR:host']
    _sign_in(page)
    drain = _migrator(service, 'POST', '/drains', {'drain': {
        'host': host, 'max_parallel': 1}})['drain']
    _tab(page, 'drains')
    article = '#drain-%s' % drain['uuid']
    _wait(lambda: _texts(page, article), 'the drain shown')
    _wait(lambda: 'complete' in ' '.join(_texts(page, article + ' h3')), 'complete',
          timeout=120)
    (text,) = _texts(page, article)
    assert '100%' in text and 'done' in text
    _tab(page, 'hosts')
    _wait(lambda: _click(page, '#hosts tr[data-host="%s"] a[data-drain="%s"]'
                         % (host, drain['uuid'])), 'the host links to its drain')
    assert _by_id(page, 'view-drains').is_displayed()
    services = _admin(service, 'GET', '/os-services')['services']
    service_id = next(s['id'] for s in services if s['host'] == host
                      and s['binary'] == 'nova-compute')
    _admin(service, 'PUT', '/os-services/%s' % service_id, {'status': 'enabled'})


def test_where_a_server_could_go_matches_the_check(service, page):
    server = _boot(service, 'checked')
    _sign_in(page)
    _tab(page, 'server')
    _by_id(page, 'server-id').send_keys(server)
    _by_id(page, 'server-form').submit()
    rows = _wait(lambda: _rows_data(page, 'check'), 'verdicts')
    check = _migrator(service, 'POST', '/migration-checks', {
        'migration_check': {'server_id': server}})['migration_check']
    assert _by_id(page, 'check-summary').text == check['summary']
    shown = [(r['data']['host'], r['cells'][1]) for r in rows]
    assert shown == [(h['host'], 'yes' if h['accepted'] else 'no') for h in check['hosts']]
    source = next(r for r in rows if r['data']['host'] == check['source'])
    assert 'SourceHost' in source['cells'][2]


def test_keyboard_and_a_narrow_window(service, page):
    from selenium.webdriver.common.keys import Keys
    _sign_in(page)
    tabs = page.find_elements('css selector', '.tab')
    tabs[0].send_keys(Keys.TAB)
    focused = page.switch_to.active_element
    assert focused.get_attribute('data-view') == 'moves'
    focused.send_keys(Keys.ENTER)
    assert _by_id(page, 'view-moves').is_displayed()
    outline = page.execute_script(
        'return getComputedStyle(document.activeElement).outlineStyle')
    assert outline != 'none'
    page.set_window_size(400, 800)
    try:
        _tab(page, 'hosts')
        assert page.execute_script(
            'return document.documentElement.scrollWidth <= '
            'document.documentElement.clientWidth')
    finally:
        page.set_window_size(1280, 800)


def test_polling_stops_while_the_tab_is_hidden(service, page):
    _sign_in(page)
    page.execute_script("window.open('about:blank', '_blank')")
    dashboard, other = page.window_handles[0], page.window_handles[-1]
    page.switch_to.window(other)
    page.switch_to.window(dashboard)
    page.execute_script(
        "Object.defineProperty(document, 'hidden', {value: true, configurable: true});"
        "document.dispatchEvent(new Event('visibilitychange'));")
    # An update already under way when the tab was hidden may still finish.
    time.sleep(2)
    hidden = page.execute_script("return performance.getEntriesByType('resource').length")
    time.sleep(7)  # two update periods and more
    after = page.execute_script("return performance.getEntriesByType('resource').length")
    assert after == hidden
    page.execute_script(
        "Object.defineProperty(document, 'hidden', {value: false, configurable: true});"
        "document.dispatchEvent(new Event('visibilitychange'));")
    _wait(lambda: page.execute_script(
        "return performance.getEntriesByType('resource').length") > after, 'polling again')
    page.switch_to.window(other)
    page.close()
    page.switch_to.window(dashboard)


def test_an_update_reads_moves_in_flight_and_only_the_newest_ended(service, page):
    """The record of moves grows with every move; an update does not: it
    asks for the moves that have not ended and the newest that have."""
    _sign_in(page)
    page.execute_script('performance.clearResourceTimings()')
    _wait(lambda: len([name for name in page.execute_script(
        "return performance.getEntriesByType('resource').map((e) => e.name)")
        if '/migrator/drains' in name]) >= 2, 'two updates')
    names = page.execute_script(
        "return performance.getEntriesByType('resource').map((e) => e.name)")
    moves = sorted({name.split('/migrator/', 1)[1] for name in names
                    if '/migrator/migrations' in name})
    assert moves == ['migrations?ended=false', 'migrations?ended=true&limit=100',
                     'migrations?status=cancelled&limit=20',
                     'migrations?status=error&limit=20']
