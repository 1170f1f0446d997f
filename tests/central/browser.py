"""Debian's chromium, headless, driven by Selenium through Debian's chromium-driver: the driver's path is
given, so Selenium Manager never looks for (or downloads) anything."""

from __future__ import annotations

import os
import shutil

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service


def chromium(width: int = 1366, height: int = 900) -> webdriver.Chrome:
    chromium_path, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    assert chromium_path and driver_path, "install chromium and chromium-driver (scripts/system-deps.sh)"
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager, were it asked anything, would not go online
    options = Options()
    options.binary_location = chromium_path
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root, where chromium's sandbox cannot start
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--lang=en-GB",
        f"--window-size={width},{height}",
        "--hide-scrollbars",
    ):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
