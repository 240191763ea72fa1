"""The planning board: journeys 15 and 16 (docs/ui.md#browser-journeys).

Each step is (name, function(world, browser)); journeys.py runs them after journey 14.
"""
import datetime

PETR = "+79990000016"


def _machine(w, code, name, daily_rate):
    """A machine of the journey's own (so other journeys' orders on the seeded one never clash with it)."""
    _, machine = w.api.call("POST", "/api/v1/equipment/", w.admin, {
        "code": code, "name": name, "hourly_rate": "2000.00", "daily_rate": daily_rate}, expect=201)
    return machine["id"]


def _order(w, machine, start, operators=()):
    _, order = w.api.call("POST", "/api/v1/orders/", w.manager, {
        "client_id": 1, "address": "ст. Елизаветинская, ул. Садовая 15", "start_dt": start,
        "operator_ids": [w.ids[p] for p in operators],
        "items": [{"item_type": "equipment", "ref_id": machine, "metadata": {"shifts": 1}}]}, expect=201)
    return order


def _drag(b, bar, dx, dy):
    from selenium.webdriver.common.action_chains import ActionChains
    b.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", bar)
    ActionChains(b.driver).move_to_element(bar).click_and_hold().move_by_offset(8, 0) \
        .move_by_offset(dx - 8, dy).release().perform()


def journey_15(w, b):
    """Manager moves an order on «План»: dragged to a free machine, onto a busy one (the conflict), by keyboard."""
    from harness import DESKTOP_SIZE, PHONE_SIZE
    from journeys import MANAGER, future, login, logout
    excavator = _machine(w, "EXC-J15", "Экскаватор Sany J15", "25000.00")
    truck = _machine(w, "DUMP-J15", "Самосвал Shacman J15", "10000.00")
    loader = _machine(w, "LOAD-J15", "Погрузчик Zoomlion J15", "23000.00")
    moving = _order(w, excavator, future(2, 9) + ":00+03:00")
    blocking = _order(w, loader, future(2, 12) + ":00+03:00")
    login(b, MANAGER)
    b.size(DESKTOP_SIZE)
    b.open("/planning")
    b.wait_text("Загрузка парка")
    assert "Экскаваторы" in b.text() and "Самосвалы" in b.text(), b.text()[:800]
    b.shot("j15-board")
    bar = b.find(f'.plan-track[data-id="{excavator}"] a[href="/orders/{moving["id"]}/edit"]')
    target = b.find(f'.plan-track[data-id="{truck}"]')
    # Straight down onto the truck's row: same time, another machine.
    dy = target.location["y"] + target.size["height"] / 2 - (bar.location["y"] + bar.size["height"] / 2)
    b.driver.execute_script("window.__stale = true;")
    _drag(b, bar, 0, dy)
    b.wait_navigation()
    _, order = w.api.call("GET", f"/api/v1/orders/{moving['id']}/", w.manager, expect=200)
    assert [i["ref_id"] for i in order["items"]] == [truck], order["items"]
    b.open(f"/orders/{moving['id']}")
    b.wait_text("Самосвал Shacman J15")
    b.shot("j15-order-moved")

    # Onto the loader, whose order holds it from 12:00: refused, the bar returns, nothing changes.
    b.open("/planning")
    b.allow(r"status of 409")
    bar = b.find(f'.plan-track[data-id="{truck}"] a[href="/orders/{moving["id"]}/edit"]')
    target = b.find(f'.plan-track[data-id="{loader}"]')
    dy = target.location["y"] + target.size["height"] / 2 - (bar.location["y"] + bar.size["height"] / 2)
    _drag(b, bar, 0, dy)
    b.wait_text("Ресурс уже занят")
    toast = b.find(".plan-toast").text
    assert f"Заявка № {blocking['number']}" in toast, toast
    assert b.driver.execute_script("return arguments[0].style.transform", bar) == ""
    assert "is-conflict" in bar.get_attribute("class")
    b.shot("j15-conflict")
    _, order = w.api.call("GET", f"/api/v1/orders/{moving['id']}/", w.manager, expect=200)
    assert [i["ref_id"] for i in order["items"]] == [truck], order["items"]
    assert order["start_dt"].startswith(future(2, 9)), order["start_dt"]

    # The keyboard: Space picks the bar up, → moves it a day, Enter saves; its tooltip arrives after the board.
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    b.open("/planning")
    bar = b.find(f'.plan-track[data-id="{truck}"] a[href="/orders/{moving["id"]}/edit"]')
    b.wait_until(lambda: "Садовая 15" in (bar.get_attribute("title") or ""), "the bar's tooltip")
    b.driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus();", bar)
    ActionChains(b.driver).send_keys(Keys.SPACE).send_keys(Keys.ARROW_RIGHT).perform()
    b.wait_text("Enter сохранить")
    assert "is-grabbed" in bar.get_attribute("class")
    b.shot("j15-keyboard")
    b.driver.execute_script("window.__stale = true;")
    ActionChains(b.driver).send_keys(Keys.ENTER).perform()
    b.wait_navigation()
    _, order = w.api.call("GET", f"/api/v1/orders/{moving['id']}/", w.manager, expect=200)
    assert order["start_dt"].startswith(future(3, 9)), order["start_dt"]
    assert [i["ref_id"] for i in order["items"]] == [truck], order["items"]

    # The phone: the day list of that day.
    b.size(PHONE_SIZE)
    b.open("/planning?day=" + future(3, 9)[:10])
    b.wait_text("Самосвал Shacman J15")
    assert f"№ {moving['number']}" in b.find(".plan-list").text
    b.driver.execute_script("document.querySelector('.plan-list').scrollIntoView();")
    b.shot("j15-day-list")
    logout(b)


def _unfold(text):
    lines = []
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75, line
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def journey_16(w, b):
    """Operator sees his shifts on the phone; the .ics feed of that operator lists the same shifts."""
    from harness import PHONE_SIZE
    from harness import PASSWORD
    from journeys import download, future, login, logout
    machine = _machine(w, "TOW-J16", "Эвакуатор ISUZU J16", "3000.00")
    # An operator of his own: the other journeys book Ivan and Sergey and change Sergey's password.
    _, user = w.api.call("POST", "/api/v1/users/", w.admin, {
        "phone": PETR, "password": PASSWORD, "first_name": "Пётр", "last_name": "Сменов", "role": "operator",
        "is_active": True}, expect=201)
    w.ids[PETR] = user["id"]
    shift = _order(w, machine, future(3, 9) + ":00+03:00", operators=(PETR,))
    login(b, PETR)
    b.size(PHONE_SIZE)
    b.open("/shifts")
    b.wait_text(f"Заявка № {shift['number']}")
    assert "ст. Елизаветинская, ул. Садовая 15" in b.text()
    b.shot("j16-shifts")
    b.open("/profile")
    b.click_text("span", "Календарь смен")
    b.wait_path("/profile/calendar")
    b.submit()
    b.wait_text("Выключить ленту")
    b.shot("j16-calendar")
    url = b.find('input[name="feed_url"]').get_attribute("value")
    status, headers, body = download(b, url[url.index("/calendar/"):])
    assert status == 200 and headers["Content-Type"].startswith("text/calendar"), headers
    text = body.decode()
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    lines = _unfold(text)
    events, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None and ":" in line:
            name, value = line.split(":", 1)
            current[name.split(";")[0]] = value
    mine = [e for e in events if e.get("UID") == shift["id"] + "@ringo-uchet"]
    assert len(mine) == 1, events
    start = datetime.datetime.fromisoformat(shift["start_dt"]).astimezone(datetime.timezone.utc)
    assert mine[0]["DTSTART"] == start.strftime("%Y%m%dT%H%M%SZ"), mine[0]
    assert shift["number"] in mine[0]["SUMMARY"], mine[0]
    # The same shifts as the page: every order on «Мои смены» is in the feed.
    b.open("/shifts")
    numbers = [a.text.split("№ ")[1].split()[0] for a in b.all(".shift b")]
    summaries = " ".join(e.get("SUMMARY", "") for e in events)
    for number in numbers:
        assert f"№ {number}" in summaries, (number, summaries)
    logout(b)


STEPS = [("15", journey_15), ("16", journey_16)]
