"""The web pages in a real browser (headless Chromium through selenium): the board shows
a call made at a counter, the ticket page follows its ticket until it is called, sound
waits for the activation step, nothing personal is in the page, and the page recovers
by itself when the server is restarted."""

from __future__ import annotations

from datetime import date

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from kiosk.services import call_next, walk_in
from kiosk.services.status import status_url
from tests.web.conftest import viewport

pytestmark = pytest.mark.slow


def text_of(browser, element_id: str) -> str:
    return browser.find_element(By.ID, element_id).text


def wait_text(browser, element_id: str, expected: str, timeout: float = 10) -> None:
    WebDriverWait(browser, timeout).until(lambda b: expected in text_of(b, element_id),
                                          f"#{element_id} never showed {expected!r}")


def open_board(browser, office) -> None:
    viewport(browser, 1920, 1080)
    browser.get(office.url + "/display")
    browser.execute_script("localStorage.clear()")
    browser.get(office.url + "/display")
    WebDriverWait(browser, 10).until(lambda b: b.execute_script("return !!(window.antreanBoard && antreanBoard.board)"))


def test_the_board_shows_a_call_made_at_a_counter(browser, make_office):
    # GIVEN the board open in a TV browser and one priority walk-in waiting
    office = make_office()
    walk_in(office.ctx, "disabilitas")
    open_board(browser, office)
    wait_text(browser, "waiting", "B · Prioritas: 1 menunggu")
    assert text_of(browser, "called-number") == "—"
    # WHEN counter 3 calls the next ticket
    call_next(office.ctx, 3)
    # THEN the number and its counter appear, large, and the counter card shows it
    wait_text(browser, "called-number", "B001")
    assert text_of(browser, "called-counter") == "LOKET 3"
    card = browser.find_element(By.CSS_SELECTOR, '.card[data-counter="3"] .current')
    assert card.text == "B001"
    wait_text(browser, "waiting", "B · Prioritas: 0 menunggu")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080), (3840, 2160)])
def test_the_called_number_is_at_least_15_percent_of_the_screen_high(browser, make_office, size):
    office = make_office()
    walk_in(office.ctx, "disabilitas")
    call_next(office.ctx, 1)
    open_board(browser, office)
    viewport(browser, *size)
    wait_text(browser, "called-number", "B001")
    box = browser.execute_script("""
        const r = document.getElementById('called-number').getBoundingClientRect();
        const style = getComputedStyle(document.getElementById('called-number'));
        return {height: r.height, width: r.width, right: r.right, font: parseFloat(style.fontSize),
                vh: innerHeight, vw: innerWidth};""")
    assert box["vh"] == size[1] and box["vw"] == size[0]
    assert box["height"] >= 0.15 * size[1]
    assert box["font"] * 0.7 >= 0.15 * size[1]  # digits are ~0.73 of the font size high
    assert box["right"] <= size[0]  # and it fits across


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sound_waits_for_the_activation_step_then_plays_in_order(browser, make_office):
    # GIVEN a TV browser that never turned sound on
    office = make_office()
    for _ in range(2):
        walk_in(office.ctx, "disabilitas")
    open_board(browser, office)
    badge = browser.find_element(By.ID, "sound-badge")
    assert badge.is_displayed() and "Aktifkan suara" in badge.text
    # WHEN a call comes
    call_next(office.ctx, 2)
    wait_text(browser, "called-number", "B001")
    # THEN nothing was played
    assert browser.execute_script("return antreanBoard.sound.length") == 0
    # WHEN the one-time step is taken and the next call comes
    browser.find_element(By.ID, "enable-sound").click()
    WebDriverWait(browser, 5).until(lambda b: not b.find_element(By.ID, "sound-badge").is_displayed())
    call_next(office.ctx, 3)
    wait_text(browser, "called-number", "B002")
    expected = ["chime", "chime", "nomor_antrean", "huruf_b", "dua", "silakan_menuju_loket", "tiga"]
    log = WebDriverWait(browser, 30).until(
        lambda b: (lambda log: log if len([e for e in log if "end" in e]) >= len(expected) else None)(
            b.execute_script("return antreanBoard.sound")))
    starts = [e for e in log if "start" in e]
    ends = [e for e in log if "end" in e]
    # THEN the activation chime, then the call's chime and fragments, in order, each after the last ended
    assert [e["name"] for e in starts] == expected
    assert all(e["ok"] for e in ends), ends
    for before, after in zip(ends, starts[1:], strict=False):
        assert after["start"] >= before["end"]
    # AND the choice is remembered by this TV
    browser.refresh()
    WebDriverWait(browser, 10).until(lambda b: b.execute_script("return !!(window.antreanBoard && antreanBoard.board)"))
    assert not browser.find_element(By.ID, "sound-badge").is_displayed()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_ticket_page_goes_from_people_ahead_to_the_counter(browser, make_office):
    # GIVEN three priority walk-ins, the last one looking at its status page on a phone
    office = make_office()
    tickets = [walk_in(office.ctx, "lansia", birth=date(1950, 3, 4), name="Siti Rahayu").ticket for _ in range(3)]
    mine = tickets[-1]
    viewport(browser, 390, 844, mobile=True)
    browser.get(status_url(office.ctx, mine.service_day, mine.label))
    wait_text(browser, "state", "2 orang di depan Anda")
    assert text_of(browser, "number") == "B003"
    assert "Perkiraan tunggu" in text_of(browser, "wait")
    # WHEN the two ahead are called
    call_next(office.ctx, 1)
    wait_text(browser, "state", "1 orang di depan Anda")
    call_next(office.ctx, 2)
    wait_text(browser, "state", "Anda berikutnya")
    # AND then it is called to counter 3
    call_next(office.ctx, 3)
    # THEN the page says where to go
    wait_text(browser, "state", "Silakan menuju loket 3")
    # AND in English after the switch
    browser.find_element(By.ID, "lang").click()
    wait_text(browser, "state", "Please go to counter 3")
    # AND nothing personal is in the page
    html = browser.page_source
    for secret in ("Siti", "Rahayu", "1950", "04/03", "4 Mar"):
        assert secret not in html
    browser.find_element(By.ID, "lang").click()  # back to Bahasa Indonesia for the next test


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_board_recovers_after_the_server_restarts(browser, make_office):
    # GIVEN a board showing a first call
    office = make_office()
    for _ in range(2):
        walk_in(office.ctx, "lansia", birth=date(1950, 3, 4), name="Siti Rahayu")
    call_next(office.ctx, 1)
    open_board(browser, office)
    wait_text(browser, "called-number", "B001")
    # WHEN the server stops, a call is made meanwhile, and the server comes back
    office.server.stop()
    WebDriverWait(browser, 10).until(lambda b: b.find_element(By.ID, "reconnecting").is_displayed())
    call_next(office.ctx, 4)
    office.restart()
    # THEN the board reconnects by itself and shows the call it missed
    wait_text(browser, "called-number", "B002", timeout=20)
    assert text_of(browser, "called-counter") == "LOKET 4"
    WebDriverWait(browser, 10).until(lambda b: not b.find_element(By.ID, "reconnecting").is_displayed())
    assert "Siti" not in browser.page_source and "Rahayu" not in browser.page_source


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_board_recovers_when_the_network_silently_drops(browser, make_office):
    from tests.web.conftest import FreezingProxy

    # GIVEN a board reached through a link that can die without a word, heartbeat every 0.5 s
    office = make_office(heartbeat=0.5)
    for _ in range(2):
        walk_in(office.ctx, "disabilitas")
    proxy = FreezingProxy(office.port)
    try:
        viewport(browser, 1920, 1080)
        browser.get(f"http://127.0.0.1:{proxy.port}/display?heartbeat=0.5")
        WebDriverWait(browser, 10).until(
            lambda b: b.execute_script("return !!(window.antreanBoard && antreanBoard.board)"))
        call_next(office.ctx, 1)
        wait_text(browser, "called-number", "B001")
        # WHEN the link goes silent (no error, no bytes) and a call is made meanwhile
        proxy.freeze()
        call_next(office.ctx, 2)
        # THEN the page notices the missing heartbeats, opens a new stream and shows the call
        wait_text(browser, "called-number", "B002", timeout=15)
        assert text_of(browser, "called-counter") == "LOKET 2"
    finally:
        proxy.close()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_board_with_the_announcer_off_stays_silent_and_asks_nothing(browser, make_office):
    office = make_office(announcer={"enabled": False})
    walk_in(office.ctx, "disabilitas")
    open_board(browser, office)
    browser.execute_script("localStorage.setItem('antrean.sound', 'on')")
    call_next(office.ctx, 1)
    wait_text(browser, "called-number", "B001")
    assert not browser.find_element(By.ID, "sound-badge").is_displayed()
    assert not browser.find_element(By.ID, "sound-gate").is_displayed()
    assert browser.execute_script("return antreanBoard.sound.length") == 0
