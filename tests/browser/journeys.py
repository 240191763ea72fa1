"""The browser journeys of docs/ui.md#browser-journeys in a real browser (headless Chromium at 390 px, some
screenshots also at 1280 px).

Run: python3 tests/browser/journeys.py  (after `swift build`; uses .build/debug/ringo)
Exit status 0 when every journey passed.
"""
import datetime
import os
import sys
import time
import traceback
import urllib.request

import journeys_import
import journeys_planning

from harness import (ADMIN_PASSWORD, ADMIN_PHONE, API, DESKTOP_SIZE, PASSWORD, PHONE_SIZE, Browser, Server, log,
                     seed_catalog)

MANAGER = "+79990000002"
IVAN = "+79990000011"
SERGEY = "+79990000012"


def money(roubles):
    """«25 000,00 ₽» with plain spaces, as Browser.text() gives it."""
    whole = f"{roubles:,}".replace(",", " ")
    return f"{whole},00 ₽"


def money_text(decimal_text):
    """API money "27250.00" → page text «27 250,00 ₽»."""
    sign = "-" if decimal_text.startswith("-") else ""
    whole, _, cents = decimal_text.lstrip("-").partition(".")
    return f"{sign}{int(whole):,}".replace(",", " ") + "," + (cents + "00")[:2] + " ₽"


def download(b, path):
    """GETs `path` with the browser's session cookie; returns (status, headers, bytes)."""
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in b.driver.get_cookies())
    request = urllib.request.Request(b.base + path, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as reply:
        return reply.status, reply.headers, reply.read()


class World:
    """The server, the API tokens and the seeded ids shared by the journeys."""

    def __init__(self, server):
        self.server = server
        self.api = API(server.base)
        self.admin = self.api.token(ADMIN_PHONE, ADMIN_PASSWORD)
        self.ids = {}
        for phone, first, last, role in [(MANAGER, "Мария", "Менеджерова", "manager"),
                                         (IVAN, "Иван", "Петров", "operator"),
                                         (SERGEY, "Сергей", "Смирнов", "operator")]:
            _, user = self.api.call("POST", "/api/v1/users/", self.admin, {
                "phone": phone, "password": PASSWORD, "first_name": first, "last_name": last, "role": role,
                "is_active": True}, expect=201)
            self.ids[phone] = user["id"]
        self.manager = self.api.token(MANAGER, PASSWORD)
        self.ivan = self.api.token(IVAN, PASSWORD)

    def order(self, start, status="APPROVED", operators=(IVAN,), hours=8):
        """An order made through the API, moved to `status`."""
        _, order = self.api.call("POST", "/api/v1/orders/", self.manager, {
            "client_id": 1, "address": "ст. Елизаветинская, ул. Садовая 5", "start_dt": start,
            "description": "Копка котлована под фундамент", "operator_ids": [self.ids[p] for p in operators],
            "items": [{"item_type": "equipment", "ref_id": 1, "metadata": {"shifts": 0, "hours": hours}},
                      {"item_type": "service", "ref_id": 1, "quantity": 1}]}, expect=201)
        path = ["APPROVED", "IN_PROGRESS"]
        for target in path[:path.index(status) + 1] if status in path else []:
            self.api.call("PATCH", f"/api/v1/orders/{order['id']}/status/", self.manager, {"status": target}, expect=200)
        return order

    def logs(self, order_id, status):
        _, order = self.api.call("GET", f"/api/v1/orders/{order_id}/", self.manager, expect=200)
        return [entry for entry in order.get("status_logs", order.get("logs", [])) if entry.get("to_status") == status]


def future(days, hour, minute=0):
    day = datetime.date.today() + datetime.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}"


def login(b, phone, password=PASSWORD):
    b.open("/login")
    b.fill("phone", phone)
    b.fill("password", password)
    b.submit()
    # Wait for the redirect, so the next navigation does not cut the login response (and its cookie) off.
    deadline = time.time() + 15
    while b.path().startswith("/login") and time.time() < deadline:
        time.sleep(0.1)
    assert not b.path().startswith("/login"), "login failed: " + b.text()[:300]
    b.wait_ready()


def logout(b):
    b.open("/profile")
    b.click_text("button", "Выйти")
    b.wait_path("/login")


# ---------------------------------------------------------------------------------------------------------------


def journey_1(w, b):
    """Login, session restore, logout."""
    b.open("/orders")
    assert b.path() == "/login?next=%2Forders", b.path()
    b.submit()
    b.allow(r"status of 422")
    b.wait_text("Заполните телефон и пароль")
    b.fill("phone", MANAGER)
    b.fill("password", "wrong-password")
    b.submit()
    b.allow(r"status of 401")
    b.wait_text("Неверный телефон или пароль")
    b.shot("j1-login-error")
    b.fill("phone", MANAGER)
    b.fill("password", PASSWORD)
    b.submit()
    b.wait_path("/orders")
    b.wait_text("Заявки")
    b.restart()
    b.open("/orders")
    assert b.path() == "/orders", "not signed in after a browser restart: " + b.path()
    b.open("/profile")
    b.shot("j1-profile")
    b.click_text("button", "Выйти")
    b.wait_path("/login")
    b.wait_text("Вы вышли из системы.")
    b.open("/orders/new")
    assert b.path().startswith("/login?next="), b.path()


def journey_2(w, b):
    """Self-registration: an inactive operator request, activated by the admin in «Пользователи»."""
    b.open("/login")
    b.click_text("a", "Зарегистрироваться")
    b.wait_path("/register")
    b.wait_text("Регистрация оператора")
    for name, value in [("first_name", "Антон"), ("last_name", "Регистров"), ("phone", "+79990000041"),
                        ("password", "anton-pass-1"), ("password_confirm", "anton-pass-2")]:
        b.fill(name, value)
    b.submit()
    b.allow(r"status of 422")
    b.wait_text("Пароли не совпадают")
    b.shot("j2-register-error")
    b.fill("password", "abcde")
    b.fill("password_confirm", "abcde")
    b.submit()
    b.wait_text("как минимум 8 символов")
    b.fill("password", "anton-pass-1")
    b.fill("password_confirm", "anton-pass-1")
    b.submit()
    b.wait_path("/login")
    b.wait_text("Заявка на регистрацию принята. Администратор активирует учётную запись.")
    b.fill("phone", "+79990000041")
    b.fill("password", "anton-pass-1")
    b.submit()
    b.allow(r"status of 401")
    b.wait_text("Неверный телефон или пароль")
    login(b, ADMIN_PHONE, ADMIN_PASSWORD)
    b.open("/users")
    b.wait_text("Антон Регистров")
    user_id = w.api.call("GET", "/api/v1/users/?search=79990000041", w.admin, expect=200)[1]
    rows = user_id.get("results", user_id) if isinstance(user_id, dict) else user_id
    row = next(r for r in rows if r.get("phone") == "+79990000041")
    assert not row.get("is_active"), row
    b.open(f"/users/{row['id']}/edit")
    box = b.find('form[method=post] input[name="is_active"]')
    if not box.is_selected():
        b.click('form[method=post] input[name="is_active"]')
    b.submit()
    b.wait_text("Изменения сохранены")
    logout(b)
    login(b, "+79990000041", "anton-pass-1")
    assert b.all('nav a[href="/salary"]'), "no operator navigation"
    assert not b.all('nav a[href="/users"]'), "operator sees «Пользователи»"
    b.open("/orders")
    b.wait_text("Заявки не найдены")
    logout(b)


def journey_3(w, b):
    """Manager creates an order for an existing client: excavator 8 h + delivery, two operators, approved."""
    login(b, MANAGER)
    b.open("/orders")
    b.click("a.fab")
    b.wait_path("/orders/new")
    b.fill("client_id", "1")
    assert b.find('[name="address"]').get_attribute("value") == "г. Краснодар, ул. Красная 1", "address not filled in"
    b.fill("description", "Планировка участка")
    for phone in (IVAN, SERGEY):
        b.click(f'#operator-{w.ids[phone]}')
    b.fill("items[0][type]", "equipment")
    b.fill("items[0][ref_id]", "1")
    b.fill("items[0][hours]", "8")
    b.click("[data-add-item]")
    b.fill("items[1][type]", "service")
    b.fill("items[1][ref_id]", "1")
    b.fill("items[1][quantity]", "1")
    b.click("[data-preview]")
    b.wait_text("Итого")
    b.wait_text(money(25000))
    b.click('input[name="approve"]')
    start = future(1, 8)
    b.fill("start", start)
    b.shot("j3-order-form")
    b.submit("form[data-order-form]")
    b.wait_text("Заявка создана и одобрена")
    order_path = b.path()
    text = b.text()
    for expected in ("Иван Петров", "Сергей Смирнов", "Экскаватор JCB 3CX", "Доставка техники", money(25000),
                     datetime.date.fromisoformat(start[:10]).strftime("%d.%m.%Y") + " 08:00"):
        assert expected in text, f"detail misses {expected!r}"
    b.shot("j3-order-detail")
    b.open("/orders")
    b.wait_text("ООО Стройпроект")
    assert money(25000) in b.text()
    b.shot("j3-orders-list")
    order_id = order_path.split("/")[2]
    _, order = w.api.call("GET", f"/api/v1/orders/{order_id}/", w.manager, expect=200)
    assert order["status"] == "APPROVED", order["status"]
    assert order["start_dt"].startswith(start + ":00"), order["start_dt"]
    logout(b)


def journey_4(w, b):
    """A brand-new client, approximate cost, validation messages."""
    login(b, MANAGER)
    b.open("/orders/new")
    b.submit("form[data-order-form]")
    b.allow(r"status of 422")
    b.wait_text("Укажите клиента: выберите из списка или создайте нового")
    b.fill("new_client_name", "Иванов Пётр Сергеевич")
    b.fill("new_client_phone", "+7 918 555-44-33")
    b.submit("form[data-order-form]")
    b.wait_text("Заполните адрес")
    b.shot("j4-validation")
    b.fill("address", "х. Ленина, ул. Степная 12")
    b.submit("form[data-order-form]")
    b.wait_text("Укажите дату и время начала")
    b.fill("start", future(3, 9, 30))
    b.fill("estimated_total", "40 000")
    b.submit("form[data-order-form]")
    b.wait_text("Заявка создана")
    text = b.text()
    assert "Создан" in text and money(40000) in text, text[:800]
    b.open("/clients?q=Иванов")
    rows = [line for line in b.text().splitlines() if "Иванов Пётр Сергеевич" in line]
    assert len(rows) == 1, rows
    logout(b)


def journey_5(w, b):
    """The create-form draft survives navigation and is listed on «Заявки»."""
    login(b, MANAGER)
    b.open("/orders/new")
    b.fill("new_client_name", "Черновиков Антон")
    b.fill("address", "г. Абинск, ул. Мира 3")
    time.sleep(0.6)
    b.click_text("a", "Главная") if b.visible('nav a[href="/"]') else b.open("/")
    b.wait_path("/")
    b.open("/orders")
    b.wait_text("Черновики")
    b.wait_text("Заявка (черновик)")
    assert "Черновиков Антон" in b.text()
    b.shot("j5-draft-card")
    b.click("a.order-card--draft")
    b.wait_path("/orders/new")
    b.wait_text("Восстановлен черновик заявки")
    assert b.find('[name="new_client_name"]').get_attribute("value") == "Черновиков Антон"
    assert b.find('[name="address"]').get_attribute("value") == "г. Абинск, ул. Мира 3"
    b.open("/orders")
    b.click_text("button", "Удалить черновик")
    assert "Заявка (черновик)" not in b.text()
    b.open("/orders")
    assert "Черновики" not in b.text()
    logout(b)


def journey_6(w, b):
    """Operator online: sees the own order, starts work, completes with hours, fuel and sand (and a photo)."""
    start = future(5, 8)
    _, order = w.api.call("POST", "/api/v1/orders/", w.manager, {
        "client_id": 1, "address": "ст. Елизаветинская, ул. Полевая 7", "start_dt": start + ":00+03:00",
        "description": "Отсыпка площадки песком", "operator_ids": [w.ids[IVAN]],
        "items": [{"item_type": "equipment", "ref_id": 1, "metadata": {"shifts": 0, "hours": 8}}]}, expect=201)
    w.api.call("PATCH", f"/api/v1/orders/{order['id']}/status/", w.manager, {"status": "APPROVED"}, expect=200)
    other = w.order(future(7, 8) + ":00+03:00", status="APPROVED", operators=(SERGEY,))
    login(b, IVAN)
    b.open("/orders")
    b.wait_text("ст. Елизаветинская, ул. Полевая 7")
    assert f"/orders/{other['id']}" not in b.driver.page_source, "another operator's order is listed"
    b.open(f"/orders/{order['id']}")
    text = b.text()
    for expected in ("Отсыпка площадки песком", "ст. Елизаветинская, ул. Полевая 7"):
        assert expected in text, f"detail misses {expected!r}"
    assert "+79001112233" in text or "+7 900 111-22-33" in text, "detail misses the client phone: " + text[:600]
    b.click_text("button", "Начать работу")
    b.wait_text("В работе")
    logs = w.logs(order["id"], "IN_PROGRESS")
    assert len(logs) == 1, logs
    b.open(f"/orders/{order['id']}")
    b.click_text("a", "Завершить") if any(e.text.strip() == "Завершить" for e in b.visible("a")) else b.open(
        f"/orders/{order['id']}/complete")
    b.wait_path(f"/orders/{order['id']}/complete")
    b.fill("end", future(5, 17))
    b.fill("equipment[0][hours]", "8")
    b.fill("equipment[0][fuel]", "3000")
    b.fill("equipment[0][repair]", "0")
    # The sand is not on the order: picked from the catalogue on the form («+ Ещё материал» adds a row).
    assert not b.all('[name="materials[0][quantity]"]'), "the order should have no material yet"
    b.click("[data-add-material]")
    assert len(b.all("[data-material-row]")) == 2, "no second material row"
    b.fill("new_materials[1][ref_id]", "1")
    b.click('[data-material-row]:first-child [data-remove-material]')
    assert len(b.all("[data-material-row]")) == 1, "row not removed"
    assert b.find('[name="new_materials[0][ref_id]"]').get_attribute("value") == "1", "rows not renumbered"
    b.fill("new_materials[0][quantity]", "0")
    b.fill("comment", "Площадка отсыпана")
    b.submit(navigates=False)
    b.allow(r"status of 422")
    b.wait_text("Количество должно быть больше нуля.")
    b.fill("new_materials[0][quantity]", "2")
    b.shot("j6-complete-form")
    b.submit()
    b.wait_text("Заявка успешно завершена")
    b.wait_text("Завершён")
    uploaded = bool(b.all('form[enctype="multipart/form-data"] input[type="file"]'))
    if uploaded:
        photo = os.path.join(os.path.dirname(os.path.abspath(__file__)), "photo.png")
        b.find('form[enctype="multipart/form-data"] input[type="file"]').send_keys(photo)
        b.submit('form[enctype="multipart/form-data"]')
        b.wait_text("Фото добавлено")
    b.shot("j6-completed")
    logout(b)
    _, body = w.api.call("GET", f"/api/v1/orders/{order['id']}/", w.manager, expect=200)
    assert body["status"] == "COMPLETED", body["status"]
    # 8 h × 2 500 + 2 m³ of sand at the catalogue's 900
    assert body["total_amount"] == "21800.00", body["total_amount"]
    sand = [item for item in body.get("items", []) if item.get("item_type") == "material"]
    assert len(sand) == 1 and sand[0]["unit_price"] == "900.00", sand
    assert len(w.logs(order["id"], "COMPLETED")) == 1
    login(b, MANAGER)
    b.open(f"/orders/{order['id']}")
    b.wait_text("Завершён")
    if uploaded:
        b.wait_text("После работ")
        loaded = b.driver.execute_script(
            "return Array.from(document.querySelectorAll('ul.photos img')).filter(i => i.naturalWidth > 0).length")
        assert loaded == 1, f"photo not shown to the manager ({loaded})"
    logout(b)


def journey_7(w, b):
    """Operator starts work and completes offline; the queue syncs with one log row per action (no loss)."""
    order = w.order(future(2, 8) + ":00+03:00", status="APPROVED")
    login(b, IVAN)
    b.open(f"/orders/{order['id']}")
    b.wait_text("Начать работу")
    b.offline(True)
    b.wait_text("Работа в оффлайн режиме")
    b.click_text("button", "Начать работу")
    b.wait_text("Ожидает синхронизации")
    time.sleep(0.3)
    # A double tap reuses the form's key: still one queued item.
    b.click_text("button", "Начать работу")
    assert len(b.queue()) == 1, b.queue()
    b.shot("j7-queued-offline")
    b.offline(False)
    deadline = time.time() + 20
    while b.queue() and time.time() < deadline:
        time.sleep(0.5)
    assert not b.queue(), b.queue()
    assert len(w.logs(order["id"], "IN_PROGRESS")) == 1, w.logs(order["id"], "IN_PROGRESS")
    # Completion: the form is opened online (and cached), filled and sent while offline.
    b.open(f"/orders/{order['id']}")
    b.wait_text("Завершить")
    b.open(f"/orders/{order['id']}/complete")
    b.offline(True)
    b.fill("end", future(2, 17))
    b.fill("equipment[0][hours]", "9")
    b.fill("equipment[0][fuel]", "3000")
    b.fill("comment", "Работы выполнены, площадка убрана")
    b.submit(navigates=False)
    b.wait_text("Ожидает синхронизации")
    b.submit(navigates=False)
    assert len(b.queue()) == 1, b.queue()
    b.allow(r"ERR_INTERNET_DISCONNECTED")
    b.offline(False)
    deadline = time.time() + 20
    while b.queue() and time.time() < deadline:
        time.sleep(0.5)
    assert not b.queue(), b.queue()
    assert len(w.logs(order["id"], "COMPLETED")) == 1
    _, body = w.api.call("GET", f"/api/v1/orders/{order['id']}/", w.manager, expect=200)
    assert body["status"] == "COMPLETED" and body["total_amount"] == "27500.00", body["total_amount"]
    logout(b)
    return order


def journey_8(w, b):
    """Offline conflict: the queued «Начать работу» meets a cancelled order and is kept, not dropped."""
    order = w.order(future(4, 8) + ":00+03:00", status="APPROVED")
    login(b, IVAN)
    b.open(f"/orders/{order['id']}")
    b.offline(True)
    b.click_text("button", "Начать работу")
    b.wait_text("Ожидает синхронизации")
    w.api.call("PATCH", f"/api/v1/orders/{order['id']}/status/", w.manager,
               {"status": "CANCELLED", "comment": "Клиент отказался"}, expect=200)
    b.allow(r"status of 409")
    b.offline(False)
    deadline = time.time() + 20
    while time.time() < deadline and not any(item.get("status") == "failed" for item in b.queue()):
        time.sleep(0.5)
    queue = b.queue()
    assert len(queue) == 1 and queue[0]["status"] == "failed", queue
    assert "Нельзя перевести заявку" in queue[0]["error"], queue[0]["error"]
    b.open(f"/orders/{order['id']}")
    b.click("#queue-badge")
    b.wait_text("Отклонено сервером")
    b.shot("j8-queue-conflict")
    assert "Отменён" in b.text() or "Отменена" in b.text()
    b.click_text("button", "Удалить")
    b.accept_confirm()
    b.wait_text("Очередь пуста. Все действия синхронизированы.")
    assert b.queue() == []
    assert w.logs(order["id"], "IN_PROGRESS") == []
    assert len(w.logs(order["id"], "CANCELLED")) == 1
    logout(b)


def journey_9(w, b, completed):
    """Manager sets salaries of a completed order; the operator sees them and no staff buttons."""
    login(b, MANAGER)
    b.open(f"/orders/{completed['id']}")
    b.click_text("a", "Редактировать")
    b.wait_text("Зарплата операторам")
    b.fill("pay[0][amount]", "4 000")
    b.shot("j9-pay")
    b.submit()
    b.wait_text("Зарплаты сохранены")
    # The completed order's documents (docs/documents.md): receipt, act and issuing the invoice.
    b.open(f"/orders/{completed['id']}")
    text = b.text()
    for button in ("Чек", "Акт", "Выставить счёт"):
        assert button in text, f"manager misses «{button}» on a completed order"
    b.click_text("button", "Выставить счёт")
    b.wait_text("выставлен")
    assert "Выставить счёт" not in b.text()
    b.shot("j9-documents")
    logout(b)
    login(b, IVAN)
    b.open("/salary")
    b.wait_text("Мои зарплаты")
    assert money(4000) in b.text(), b.text()[:800]
    b.shot("j9-salary")
    b.fill("from", "2001-01-01", form="form")
    b.fill("to", "2001-01-31", form="form")
    b.find("form [name=to]").submit()
    b.wait_text("Нет данных за выбранный период.")
    b.open(f"/orders/{completed['id']}")
    text = b.text()
    for hidden in ("Удалить", "Редактировать", "Отменить"):
        assert hidden not in text, f"operator sees {hidden}"
    logout(b)


def journey_10(w, b):
    """Admin reports: period filter, KPIs and tables against the API, the chart, CSV/XLSX downloads; managers denied."""
    # Make sure the period has a completed order even when the journey runs alone.
    done = w.order(future(3, 8) + ":00+03:00", status="IN_PROGRESS")
    w.api.call("POST", f"/api/v1/orders/{done['id']}/complete/", w.manager, {
        "end_dt": future(3, 17) + ":00+03:00",
        "operator_salaries": [{"operator_id": w.ids[IVAN], "salary": "4000.00"}],
        "items": [{"item_type": "equipment", "ref_id": 1, "metadata": {"shifts": 0, "hours": 8},
                   "fuel_expense": "3000.00"},
                  {"item_type": "service", "ref_id": 1, "quantity": 1}]}, expect=200)
    today = datetime.date.today()
    first = today.replace(day=1)
    later = today + datetime.timedelta(days=10)
    last = (later.replace(day=28) + datetime.timedelta(days=4))
    last = last - datetime.timedelta(days=last.day)
    period = f"from={first.isoformat()}&to={last.isoformat()}"
    _, api = w.api.call("GET", f"/api/v1/reports/summary/?{period}", w.admin, expect=200)
    assert api["orders_count"] >= 1, api

    login(b, ADMIN_PHONE, ADMIN_PASSWORD)
    b.open("/reports")
    b.click_text("h2", "Общий отчёт")
    b.wait_path("/reports/summary")
    b.fill("from", first.isoformat(), form="form.filter-bar")
    b.fill("to", last.isoformat(), form="form.filter-bar")
    b.click_text("button", "Показать")
    b.wait_path("/reports/summary?")
    assert f"from={first.isoformat()}" in b.path() and f"to={last.isoformat()}" in b.path(), b.path()
    text = b.text()
    for label, key in [("Выручка", "revenue"), ("Расходы", "expenses"), ("Зарплаты", "salaries"), ("Маржа", "margin")]:
        assert label in text and money_text(api[key]) in text, f"{label}: {money_text(api[key])} not shown\n{text[:1500]}"
    assert "Включая топливо: " + money_text(api["expenses_fuel"]) in text, text[:1500]
    assert f"Заявок: {api['orders_count']}" in text, text[:1500]
    bars = b.driver.execute_script("return document.querySelectorAll('svg.chart rect.chart__bar').length")
    assert bars == 4, f"chart bars: {bars}"
    b.shot("j10-summary")
    # Downloads: the page's own links, with the session cookie.
    xlsx = b.find('a[href*="export=xlsx"]').get_attribute("href")
    assert f"from={first.isoformat()}" in xlsx, xlsx
    status, headers, data = download(b, xlsx[len(b.base):])
    assert status == 200 and data[:2] == b"PK", (status, data[:20])
    assert "spreadsheetml" in headers["Content-Type"], headers["Content-Type"]
    assert "summary" in headers.get("Content-Disposition", "") and ".xlsx" in headers["Content-Disposition"], headers
    csv_link = b.find('a[href*="export=csv"]').get_attribute("href")
    status, headers, data = download(b, csv_link[len(b.base):])
    csv_text = data.decode("utf-8-sig")
    assert status == 200 and "Выручка" in csv_text, csv_text[:300]
    assert ".csv" in headers.get("Content-Disposition", ""), headers
    # Equipment: the excavator row with the API's hours and fuel.
    b.click_text("a", "Отчёт по технике")
    b.wait_path("/reports/equipment?")
    assert f"from={first.isoformat()}" in b.path(), "the tab lost the period: " + b.path()
    _, machines = w.api.call("GET", f"/api/v1/reports/equipment/?{period}", w.admin, expect=200)
    excavator = next(m for m in machines if m["code"] == "EX-01")
    text = b.text()
    assert "Экскаватор JCB 3CX" in text, text[:1500]
    for key in ("revenue", "fuel_expenses"):
        assert money_text(excavator[key]) in text, f"{key} {excavator[key]} not shown\n{text[:1500]}"
    assert b.all("table.rtable tbody tr"), "no equipment table rows"
    b.shot("j10-equipment")
    # Employees: both operators of the seeded orders.
    b.click_text("a", "Отчёт по сотрудникам")
    b.wait_path("/reports/employees?")
    b.wait_text("Иван Петров")
    # On a phone the table is a list of cards: the column names are the cells' data-label.
    assert 'data-label="Назначений"' in b.driver.page_source and 'data-label="Сумма"' in b.driver.page_source
    b.shot("j10-employees")
    # «Сбросить» returns to all time.
    b.click_text("a", "Сбросить")
    b.wait_path("/reports/employees")
    assert "from=" not in b.path(), b.path()
    assert b.find('form.filter-bar [name="from"]').get_attribute("value") == ""
    for size in (DESKTOP_SIZE, PHONE_SIZE):
        b.size(size)
        b.open(f"/reports/summary?{period}")
        b.shot("j10-summary-period")
    logout(b)
    # A manager is cleanly denied (the API's rule), never an error banner from a failed fetch.
    login(b, MANAGER)
    assert not b.all('nav a[href="/reports"]'), "manager sees «Отчёты»"
    b.open(f"/reports/summary?{period}")
    b.allow(r"status of 403")
    b.wait_text("У вас нет доступа к этому разделу.")
    logout(b)


def journey_11(w, b):
    """Admin: catalogue list and a new machine in the order picker, a new operator; a manager has no «Пользователи»."""
    login(b, ADMIN_PHONE, ADMIN_PASSWORD)
    b.open("/catalog/equipment")
    b.wait_text("Экскаватор JCB 3CX")
    b.shot("j11-catalog")
    b.click_text("a", "+ Добавить технику") if any(
        e.text.strip() == "+ Добавить технику" for e in b.visible("a")) else b.open("/catalog/equipment/new")
    b.wait_path("/catalog/equipment/new")
    b.fill("code", "LD-01")
    b.fill("name", "Погрузчик")
    b.fill("hourly_rate", "не число")
    b.submit()
    b.allow(r"status of 422")
    b.wait_text("Введите сумму в рублях")
    b.fill("hourly_rate", "1 800")
    b.fill("daily_rate", "14 000")
    b.submit()
    b.wait_path("/catalog/equipment")
    b.wait_text("Погрузчик")
    _, listing = w.api.call("GET", "/api/v1/equipment/?search=LD-01", w.admin, expect=200)
    rows = listing.get("results", listing) if isinstance(listing, dict) else listing
    loader = next(r for r in rows if r.get("code") == "LD-01")
    b.open(f"/catalog/equipment/{loader['id']}/edit")
    b.fill("daily_rate", "15 000")
    b.submit()
    b.wait_text("Изменения сохранены")
    _, loader = w.api.call("GET", f"/api/v1/equipment/{loader['id']}/", w.admin, expect=200)
    assert loader["daily_rate"] == "15000.00", loader["daily_rate"]
    b.open("/catalog/attachments/new")
    b.fill("equipment_id", "1")
    b.fill("name", "Гидромолот")
    b.fill("price", "500")
    b.submit()
    b.wait_path("/catalog/attachments")
    b.wait_text("Гидромолот")
    b.open("/orders/new")
    b.wait_ready()
    assert "Погрузчик" in b.driver.page_source, "new equipment missing from the order form"
    b.open("/users")
    b.click_text("a", "Добавить пользователя") if any(
        e.text.strip() == "Добавить пользователя" for e in b.visible("a")) else b.open("/users/new")
    b.wait_path("/users/new")
    b.fill("first_name", "Олег")
    b.fill("last_name", "Новиков")
    b.fill("phone", "+79990000031")
    b.fill("role", "operator")
    b.fill("password", "12345")
    b.submit()
    b.allow(r"status of 422")
    b.wait_text("как минимум 8 символов")
    b.fill("password", "oleg-pass-1")
    b.submit()
    b.wait_text("Пользователь Олег Новиков добавлен")
    b.shot("j11-users")
    logout(b)
    login(b, "+79990000031", "oleg-pass-1")
    b.wait_path("/")
    assert "Мои зарплаты" in b.text() or "Зарплаты" in b.text()
    logout(b)
    login(b, MANAGER)
    assert not b.all('nav a[href="/users"]'), "manager sees «Пользователи»"
    b.open("/users")
    b.allow(r"status of 403")
    b.wait_text("У вас нет доступа к этому разделу.")
    logout(b)


def journey_12(w, b):
    """Notification settings persist, password change rules, PWA manifest, service worker and the offline shell."""
    login(b, SERGEY)
    b.open("/profile")
    b.click('a[href="/profile/notifications"]')
    b.wait_path("/profile/notifications")
    b.wait_text("Настройки уведомлений")
    b.wait_text("Выберите, какие события будут присылать уведомления.")
    box = 'input[name="salary_paid.telegram"]'
    assert b.find(box).is_selected(), "switches are on by default"
    b.click(box)
    b.click('input[name="salary_paid.push"]')
    b.shot("j12-notifications")
    b.submit("form[data-notification-settings]")
    b.wait_text("Настройки сохранены")
    b.open("/profile/notifications")
    assert not b.find(box).is_selected(), "«Зарплата выплачена» is on again after a reload"
    assert not b.find('input[name="salary_paid.push"]').is_selected()
    assert b.find('input[name="order_assigned.telegram"]').is_selected()
    sergey = w.api.token(SERGEY, PASSWORD)
    _, prefs = w.api.call("GET", "/api/v1/notifications/preferences/", sergey, expect=200)
    # E-mail was left on: only the two switches that were cleared are off.
    assert prefs["events"]["salary_paid"] == {"in_app": True, "telegram": False, "push": False, "email": True}, \
        prefs["events"]
    # «Обновить» drops a toggle that was not saved.
    b.click(box)
    assert b.find(box).is_selected()
    b.click_text("a", "Обновить")
    b.wait_path("/profile/notifications")
    assert not b.find(box).is_selected(), "«Обновить» kept an unsaved toggle"
    # Telegram is not configured on this server; the inbox is reachable.
    assert "Telegram-бот не настроен на сервере." in b.text()
    b.click_text("a", "Открыть уведомления")
    b.wait_path("/notifications")
    b.wait_text("Уведомления")
    b.shot("j12-inbox")
    b.open("/profile")
    for new, confirm, message in [("short12", "short12", "Новый пароль должен содержать минимум 8 символов"),
                                  ("sergey-pass-2", "sergey-pass-3", "Пароли не совпадают")]:
        b.fill("current_password", PASSWORD)
        b.fill("new_password", new)
        b.fill("new_password_confirm", confirm)
        b.submit("form[action='/profile/password']")
        b.allow(r"status of 422")
        b.wait_text(message)
    b.fill("current_password", PASSWORD)
    b.fill("new_password", "sergey-pass-2")
    b.fill("new_password_confirm", "sergey-pass-2")
    b.submit("form[action='/profile/password']")
    b.wait_text("Пароль успешно изменён")
    status, _ = w.api.call("POST", "/api/v1/token/", body={"phone": SERGEY, "password": PASSWORD})
    assert status == 401, status
    # PWA: manifest, an active service worker without any push permission, and the offline shell.
    with urllib.request.urlopen(w.server.base + "/manifest.webmanifest") as reply:
        assert reply.headers["Content-Type"] == "application/manifest+json"
        assert "Ринго Учёт" in reply.read().decode()
    b.open("/orders")
    active = b.driver.execute_async_script(
        "var done = arguments[0]; navigator.serviceWorker.ready.then(function (r) { done(!!r.active); });")
    assert active, "service worker not active"
    b.open("/orders")
    time.sleep(1)
    b.offline(True)
    w.server.halt()
    try:
        b.open("/orders")
        b.wait_text("Заявки")
        b.wait_text("Работа в оффлайн режиме")
        b.shot("j12-offline-orders")
        b.open("/profile")
        b.wait_text("Нет подключения к интернету")
        b.shot("j12-offline-page")
        b.allow(r"ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|Failed to fetch|status of 503")
    finally:
        w.server.resume()
        b.offline(False)
    logout(b)


ACCOUNTANT = "+79990000021"


def accountant_token(w):
    """The accountant of journeys 13 and 14, made once through the API."""
    if ACCOUNTANT not in w.ids:
        _, user = w.api.call("POST", "/api/v1/users/", w.admin, {
            "phone": ACCOUNTANT, "password": PASSWORD, "first_name": "Анна", "last_name": "Счетоводова",
            "role": "accountant", "is_active": True}, expect=201)
        w.ids[ACCOUNTANT] = user["id"]
    return w.api.token(ACCOUNTANT, PASSWORD)


def completed_order_of_new_client(w, name, salary="4000.00"):
    """A client of its own (so no other journey's debt is hers) and a completed order for her, Ivan's salary set."""
    _, client = w.api.call("POST", "/api/v1/clients/", w.manager, {"name": name, "phone": "+79995550013"},
                           expect=201)
    _, order = w.api.call("POST", "/api/v1/orders/", w.manager, {
        "client_id": client["id"], "address": "ст. Елизаветинская, ул. Садовая 7", "start_dt": future(5, 8) + ":00+03:00",
        "description": "Планировка участка", "operator_ids": [w.ids[IVAN]],
        "items": [{"item_type": "equipment", "ref_id": 1, "metadata": {"shifts": 0, "hours": 8}}]}, expect=201)
    for target in ("APPROVED", "IN_PROGRESS"):
        w.api.call("PATCH", f"/api/v1/orders/{order['id']}/status/", w.manager, {"status": target}, expect=200)
    w.api.call("POST", f"/api/v1/orders/{order['id']}/complete/", w.manager, {
        "end_dt": future(5, 17) + ":00+03:00", "operator_salaries": [{"operator_id": w.ids[IVAN], "salary": salary}],
        "items": [{"item_type": "equipment", "ref_id": 1, "metadata": {"shifts": 0, "hours": 8}}]}, expect=200)
    _, order = w.api.call("GET", f"/api/v1/orders/{order['id']}/", w.manager, expect=200)
    return client, order


def journey_13(w, b):
    """Accountant: invoice for a completed order, a partial then a full payment, the client leaves «Должники»."""
    accountant = accountant_token(w)
    client, order = completed_order_of_new_client(w, "ООО Счёт-Журнейт")
    w.ids["j13-order"] = order["id"]
    login(b, ACCOUNTANT)
    nav = b.find("nav.nav").get_attribute("textContent")
    for section in ("Заявки", "Счета", "Платежи", "Должники", "Расходы", "Зарплаты", "Отчёты", "Клиенты"):
        assert section in nav, f"the accountant's menu misses «{section}»"
    b.open(f"/orders/{order['id']}")
    b.click_text("button", "Выставить счёт")
    b.wait_path("/invoices/")
    b.wait_text("Внести оплату")
    invoice_path = b.path()
    assert "Выставлен" in b.text(), b.text()[:600]
    b.shot("j13-invoice-issued")
    payment_form = 'form[action$="/payments"]'
    b.fill("amount", "1000", form=payment_form)
    b.fill("comment", "Первая часть", form=payment_form)
    b.submit(form=payment_form)
    b.wait_text("Частично оплачен")
    w.ids["j13-paid"] = True
    b.open("/debts")
    b.wait_text("Должники")
    assert client["name"] in b.text(), "a client who owes is missing from «Должники»"
    b.shot("j13-debts-before")
    b.open(invoice_path)
    b.wait_text("Внести оплату")
    # The amount field offers what is left to pay.
    left = b.find(f'{payment_form} [name="amount"]').get_attribute("value")
    assert left.strip() not in ("", "0", "0,00"), left
    b.submit(form=payment_form)
    b.wait_ready()
    assert "Частично оплачен" not in b.find("main").text, "the invoice is still partly paid"
    _, invoice = w.api.call("GET", "/api/v1" + invoice_path + "/", accountant, expect=200)
    assert invoice["payment_status"] == "success", invoice
    b.shot("j13-invoice-paid")
    b.open("/invoices?status=paid")
    assert order["number"] in b.text() or invoice_path.rsplit("/", 1)[-1] in b.driver.page_source, b.text()[:600]
    b.open("/debts")
    b.wait_text("Должники")
    assert client["name"] not in b.text(), "a client who has paid is still in «Должники»"
    b.shot("j13-debts-after")
    b.open(f"/clients/{client['id']}")
    b.wait_text("Баланс")
    b.shot("j13-client-card")
    logout(b)


def journey_14(w, b):
    """Admin finds the payment in «Журнал действий»; the accountant approves and pays Ivan's salary, he sees it."""
    accountant = accountant_token(w)
    if "j13-order" not in w.ids:
        _, order = completed_order_of_new_client(w, "ООО Зарплата-Журнейт")
        w.ids["j13-order"] = order["id"]
    order_id = w.ids["j13-order"]
    _, salaries = w.api.call("GET", f"/api/v1/salaries/?user_id={w.ids[IVAN]}&page_size=200", accountant, expect=200)
    records = [r for r in salaries["results"] if str(r.get("order_id") or r.get("order")) == order_id]
    assert len(records) == 1, salaries["results"][:3]
    record = records[0]
    login(b, ADMIN_PHONE, ADMIN_PASSWORD)
    b.open("/audit?entity=payment")
    b.wait_text("Журнал действий")
    text = b.text()
    # The partial payment of journey 13 (or none, when 14 runs alone: then any payment entry).
    assert "Сумма: — → " + money(1000) in text or ("j13-paid" not in w.ids and "Сумма: — →" in text), text[:800]
    b.shot("j14-audit")
    logout(b)
    login(b, ACCOUNTANT)
    b.open(f"/salaries?user={w.ids[IVAN]}")
    b.wait_text("Итоги по операторам")
    # «Выбрать все» ticks every record of the page and unticks them again.
    ticked = "return [...document.querySelectorAll('input.salary-check')].filter(c => c.checked).length;"
    boxes = b.driver.execute_script("return document.querySelectorAll('input.salary-check').length;")
    b.click("input[data-check-all]")
    assert boxes >= 1 and b.driver.execute_script(ticked) == boxes, (boxes, b.driver.execute_script(ticked))
    b.click("input[data-check-all]")
    assert b.driver.execute_script(ticked) == 0
    b.click(f'input[name="ids"][value="{record["id"]}"]')
    b.driver.execute_script("window.__stale = true;")  # so wait_navigation waits for the new page
    b.click_text("button", "Утвердить выбранные")
    b.wait_navigation()
    b.wait_text("Утверждено")
    b.click(f'input[name="ids"][value="{record["id"]}"]')
    b.driver.execute_script("window.__stale = true;")  # so wait_navigation waits for the new page
    b.click_text("button", "Выплатить выбранные")
    b.wait_navigation()
    b.wait_text("Выплачено")
    b.shot("j14-salaries-paid")
    logout(b)
    login(b, IVAN)
    b.open("/salary")
    b.wait_text("Мои зарплаты")
    assert "Выплачена" in b.text(), b.text()[:800]
    b.shot("j14-operator-paid")
    logout(b)
    _, shown = w.api.call("GET", f"/api/v1/salaries/{record['id']}/", accountant, expect=200)
    assert shown["status"] == "paid", shown


def office_screenshots(w, b):
    """The office's pages at 1280 and 390 px, as the accountant and the admin see them."""
    login(b, ACCOUNTANT)
    pages = [("invoices", "/invoices"), ("payments", "/payments"), ("payments-new", "/payments/new"),
             ("debts", "/debts"), ("expenses", "/expenses"), ("expenses-new", "/expenses/new"),
             ("salaries", "/salaries"), ("accountant-home", "/")]
    for size in (DESKTOP_SIZE, PHONE_SIZE):
        b.size(size)
        for name, path in pages:
            b.open(path)
            b.shot("page-" + name)
    b.size(PHONE_SIZE)
    logout(b)
    login(b, ADMIN_PHONE, ADMIN_PASSWORD)
    for size in (DESKTOP_SIZE, PHONE_SIZE):
        b.size(size)
        for name, path in [("owner-home", "/"), ("audit", "/audit")]:
            b.open(path)
            b.shot("page-" + name)
    b.size(PHONE_SIZE)
    logout(b)


def screenshots(w, b, order):
    """The main pages at 1280 px (desktop) and 390 px (phone), for looking at."""
    login(b, MANAGER)
    pages = [("dashboard", "/"), ("orders", "/orders"), ("order", f"/orders/{order['id']}"),
             ("order-new", "/orders/new"), ("catalog", "/catalog/equipment"), ("profile", "/profile"),
             ("notifications", "/profile/notifications"), ("inbox", "/notifications")]
    for size in (DESKTOP_SIZE, PHONE_SIZE):
        b.size(size)
        for name, path in pages:
            b.open(path)
            b.shot("page-" + name)
    b.size(PHONE_SIZE)
    logout(b)
    # Reports are for admins and accountants (managers get 403, as in the API).
    login(b, ADMIN_PHONE, ADMIN_PASSWORD)
    for size in (DESKTOP_SIZE, PHONE_SIZE):
        b.size(size)
        for name, path in [("reports", "/reports/summary"), ("reports-equipment", "/reports/equipment")]:
            b.open(path)
            b.shot("page-" + name)
    b.size(PHONE_SIZE)
    logout(b)
    running = w.order(future(9, 8) + ":00+03:00", status="IN_PROGRESS")
    login(b, IVAN)
    for size in (DESKTOP_SIZE, PHONE_SIZE):
        b.size(size)
        b.open("/")
        b.shot("page-operator-home")
        b.open("/salary")
        b.shot("page-operator-salary")
        b.open(f"/orders/{running['id']}/complete")
        b.shot("page-order-complete")
        b.driver.execute_script("document.querySelector('[data-new-materials]').scrollIntoView({block: 'center'});")
        b.shot("page-order-complete-materials")
    b.size(PHONE_SIZE)
    logout(b)


def main():
    server = Server()
    failures = []
    browser = None
    try:
        server.migrate()
        seed_catalog(server.database)
        server.start()
        world = World(server)
        browser = Browser(server.base)
        completed = None
        steps = [("1", journey_1), ("2", journey_2), ("3", journey_3), ("4", journey_4), ("5", journey_5), ("6", journey_6), ("7", journey_7),
                 ("8", journey_8), ("10", journey_10), ("11", journey_11), ("12", journey_12), ("13", journey_13),
                 ("14", journey_14), ("office-screens", office_screenshots)]
        steps += journeys_planning.STEPS  # journeys 15 and 16 (docs/ui.md#browser-journeys)
        steps += journeys_import.STEPS  # journey 17
        only = [n for n in os.environ.get("JOURNEYS", "").split(",") if n]
        for name, journey in steps:
            if only and name not in only:
                continue
            started = time.time()
            try:
                result = journey(world, browser)
                if name == "7":
                    completed = result
                browser.check_console()
                log(f"ok   journey {name}: {journey.__doc__.strip()} ({time.time() - started:.1f} s)")
            except Exception:
                failures.append(name)
                log(f"FAIL journey {name}: {journey.__doc__.strip()}\n{traceback.format_exc()}")
                try:
                    browser.shot(f"failure-j{name}")
                    browser.offline(False)
                    browser.driver.get_log("browser")
                    browser.allowed_errors = []
                    browser.driver.delete_all_cookies()
                except Exception:
                    pass
        try:
            if completed is None:
                completed = world.order(future(6, 8) + ":00+03:00", status="IN_PROGRESS")
                world.api.call("POST", f"/api/v1/orders/{completed['id']}/complete/", world.manager,
                               {"end_dt": future(6, 17) + ":00+03:00"}, expect=200)
            journey_9(world, browser, completed)
            browser.check_console()
            log("ok   journey 9: " + journey_9.__doc__.strip())
        except Exception:
            failures.append("9")
            log(f"FAIL journey 9\n{traceback.format_exc()}")
            browser.driver.delete_all_cookies()
        try:
            screenshots(world, browser, completed)
            browser.check_console()
            log("ok   screenshots at 390 and 1280 px in screenshots/")
        except Exception:
            failures.append("screenshots")
            log(f"FAIL screenshots\n{traceback.format_exc()}")
    except Exception:
        failures.append("setup")
        log(f"FAIL setup\n{traceback.format_exc()}\n{server.log()}")
    finally:
        if browser:
            browser.quit()
        if failures:
            log("server log (tail):\n" + server.log())
        server.stop()
    if failures:
        log("failed: " + ", ".join(failures))
        return 1
    log("all journeys passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
