"""Starts the real server on a free port with a throwaway SQLite database and drives Chromium with Selenium.

Used by journeys.py; nothing here knows about a particular journey.
"""
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.environ.get("RINGO_BINARY", os.path.join(ROOT, ".build", "debug", "ringo"))
SCREENSHOTS = os.path.join(ROOT, "screenshots")
ADMIN_PHONE = "+79990000001"
ADMIN_PASSWORD = "admin-pass-1"
PASSWORD = "secret-pass-1"
PHONE_SIZE = (390, 844)
DESKTOP_SIZE = (1280, 900)


def flat(text):
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`ringo serve` on 127.0.0.1 with its own data directory; logs go to a file shown on failure."""

    def __init__(self):
        self.data_dir = tempfile.mkdtemp(prefix="ringo-browser-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(self.data_dir, "server.log")
        self.env = dict(os.environ)
        self.env.update({
            "RINGO_DATA_DIR": self.data_dir,
            "RINGO_ADMIN_PHONE": ADMIN_PHONE,
            "RINGO_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "RINGO_ENV": "development",
            "LOG_LEVEL": "warning",
        })
        self.env.pop("DATABASE_URL", None)
        self.process = None

    def migrate(self):
        subprocess.run([BINARY, "migrate"], cwd=ROOT, env=self.env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, timeout=120)

    def start(self):
        log = open(self.log_path, "a")
        self.process = subprocess.Popen(
            [BINARY, "serve", "--hostname", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("server exited:\n" + self.log())
            try:
                with urllib.request.urlopen(self.base + "/api/health/", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.3)
        raise RuntimeError("server did not answer in 60 s:\n" + self.log())

    def halt(self):
        """Stops the process but keeps the data: the network is really gone, for the service worker too
        (DevTools' offline emulation does not reach a service worker's own fetches)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)

    def resume(self):
        self.start()

    def log(self):
        try:
            with open(self.log_path) as f:
                return f.read()[-6000:]
        except OSError:
            return ""

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    @property
    def database(self):
        return os.path.join(self.data_dir, "ringo.sqlite")


class API:
    """The JSON API, for seeding and for checking what the browser did."""

    def __init__(self, base):
        self.base = base

    def call(self, method, path, token=None, body=None, expect=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                status, text = reply.status, reply.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        if expect is not None and status != expect:
            raise AssertionError(f"{method} {path}: {status} {text[:500]}")
        return status, (json.loads(text) if text.strip().startswith(("{", "[")) else text)

    def token(self, phone, password):
        _, body = self.call("POST", "/api/v1/token/", body={"phone": phone, "password": password}, expect=200)
        return body["access"]


def seed_catalog(database):
    """Catalogue and client rows (the catalog API is another issue): plain SQL, before the server starts."""
    db = sqlite3.connect(database)
    db.execute("INSERT INTO equipment (code, name, description, hourly_rate, daily_rate, status, search_text) "
               "VALUES ('EX-01', 'Экскаватор JCB 3CX', '', 250000, 1800000, 'available', 'ex-01 экскаватор jcb 3cx')")
    db.execute("INSERT INTO service_categories (name) VALUES ('Доставка')")
    db.execute("INSERT INTO services (category_id, name, unit, price, is_active, search_text) "
               "VALUES (1, 'Доставка техники', 'service', 500000, 1, 'доставка техники')")
    db.execute("INSERT INTO materials (name, category, unit, price, is_active, search_text) "
               "VALUES ('Песок', 'soil', 'm3', 90000, 1, 'песок')")
    db.execute("INSERT INTO clients (name, phone, email, address, is_active, search_text) VALUES "
               "('ООО Стройпроект', '+79001112233', 'info@stroy.example', 'г. Краснодар, ул. Красная 1', 1, "
               "'ооо стройпроект +79001112233')")
    db.commit()
    db.close()


class Browser:
    """One Chromium with its own profile (kept between restarts, like a phone keeps its cookies)."""

    def __init__(self, base, profile=None):
        self.base = base
        self.profile = profile or tempfile.mkdtemp(prefix="ringo-chrome-")
        self.driver = None
        self.allowed_errors = []
        self.start()

    def start(self, size=PHONE_SIZE):
        options = webdriver.ChromeOptions()
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                         f"--window-size={size[0]},{size[1]}", f"--user-data-dir={self.profile}",
                         "--lang=ru-RU", "--disable-gpu"):
            options.add_argument(argument)
        options.binary_location = "/usr/bin/chromium"
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=ChromeService(executable_path="/usr/bin/chromedriver"), options=options)
        self.driver.set_page_load_timeout(30)
        self.size(size)

    def restart(self):
        """Closes the browser and opens it again with the same profile (session restore)."""
        self.check_console()
        self.driver.quit()
        time.sleep(1)
        self.start()

    def quit(self):
        if self.driver:
            self.driver.quit()
            self.driver = None
        shutil.rmtree(self.profile, ignore_errors=True)

    def size(self, size):
        self.driver.set_window_size(*size)

    # --- navigation and lookup ---

    def open(self, path):
        self.driver.get(self.base + path)
        self.wait_ready()

    def wait_ready(self):
        WebDriverWait(self.driver, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def path(self):
        return self.driver.execute_script("return location.pathname + location.search")

    def text(self):
        """The visible text, with no-break spaces as plain spaces (WebDriver is not consistent about them).

        A click that submits a form replaces the page while we read it; the body found a moment ago is then stale,
        so it is looked up again.
        """
        for attempt in range(20):
            try:
                return flat(self.driver.find_element(By.TAG_NAME, "body").text)
            except StaleElementReferenceException:
                time.sleep(0.1)
        return flat(self.driver.find_element(By.TAG_NAME, "body").text)

    def wait_text(self, text, timeout=15):
        try:
            WebDriverWait(self.driver, timeout).until(lambda d: flat(text) in self.text())
        except TimeoutException:
            raise AssertionError(f"text not shown: {text!r}\npage {self.path()}:\n{self.text()[:1500]}")

    def wait_until(self, condition, what, timeout=15):
        try:
            WebDriverWait(self.driver, timeout).until(lambda d: condition())
        except TimeoutException:
            raise AssertionError(f"not seen: {what} on {self.path()}")

    def wait_path(self, prefix, timeout=15):
        try:
            WebDriverWait(self.driver, timeout).until(lambda d: self.path().startswith(prefix))
        except TimeoutException:
            raise AssertionError(f"not on {prefix}: {self.path()}\n{self.text()[:800]}")
        self.wait_ready()

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def visible(self, css):
        return [e for e in self.all(css) if e.is_displayed()]

    def click(self, css):
        element = self.find(css)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        element.click()

    def click_text(self, tag, text):
        """Clicks the first visible element of that tag whose text is exactly `text`."""
        for element in self.all(tag):
            if element.is_displayed() and element.text.strip() == text:
                self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
                element.click()
                return
        raise AssertionError(f"no visible <{tag}> «{text}» on {self.path()}")

    def fill(self, name, value, form="form[method=post]"):
        element = self.find(f'{form} [name="{name}"]')
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        tag = element.tag_name.lower()
        kind = (element.get_attribute("type") or "").lower()
        if tag == "select" or kind in ("datetime-local", "date"):
            self.driver.execute_script(
                "arguments[0].value = arguments[1];"
                "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", element, value)
        else:
            element.clear()
            element.send_keys(value)

    def submit(self, form="form[method=post]", navigates=True):
        """Clicks the form's submit button; with `navigates`, waits for the next page to load."""
        button = self.find(f'{form} button[type="submit"]')
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); window.__stale = true;", button)
        button.click()
        if navigates:
            self.wait_navigation()

    def wait_navigation(self, timeout=20):
        try:
            WebDriverWait(self.driver, timeout).until(
                lambda d: d.execute_script("return window.__stale !== true && document.readyState === 'complete'"))
        except TimeoutException:
            raise AssertionError(f"no new page after submitting on {self.path()}")

    def accept_confirm(self):
        WebDriverWait(self.driver, 5).until(EC.alert_is_present())
        self.driver.switch_to.alert.accept()

    def offline(self, flag):
        if flag:
            self.driver.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
        else:
            self.driver.delete_network_conditions()
        time.sleep(0.5)

    def shot(self, name):
        os.makedirs(SCREENSHOTS, exist_ok=True)
        width = self.driver.execute_script("return window.innerWidth")
        path = os.path.join(SCREENSHOTS, f"{name}-{width}.png")
        self.driver.save_screenshot(path)
        return path

    def queue(self):
        return self.driver.execute_script("return JSON.parse(localStorage.getItem('ringo-offline-queue-v1') || '[]')")

    # --- console ---

    def allow(self, pattern):
        """A console error that this step expects (a 422 page, a request made offline)."""
        self.allowed_errors.append(re.compile(pattern))

    def check_console(self):
        entries = self.driver.get_log("browser")
        severe = [e["message"] for e in entries if e.get("level") == "SEVERE"]
        unexpected = [m for m in severe if not any(p.search(m) for p in self.allowed_errors)]
        self.allowed_errors = []
        if unexpected:
            raise AssertionError("console errors:\n" + "\n".join(unexpected))


def log(message):
    print(message, flush=True)
    sys.stdout.flush()
