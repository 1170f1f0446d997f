"""The window's language: Qt translators, the bundled Hangul font, and switching without losing work.

Why it looks like this:
- Every screen marks its texts with `self.tr()` / `QCoreApplication.translate()`; the Korean texts are
  in `resources/translations/dermdesk_ko.ts`, compiled to `.qm` by `make qt-translations`. Clinical terms
  are not in that file: they come from the core glossary (`dermdesk.ui.common.terms`), and
  `dermdesk.i18n.set_language` makes the core's own messages follow the window.
- A missing or damaged `.qm` means English, logged once; so does a language we do not know.
- Switching while the station is in use must lose nothing. Rebuilding the windows would close the
  dialogs a person is typing into, so instead the texts already on screen are swapped in place: every
  label, button, title, menu, tooltip, placeholder, header, list row and fixed combo item whose text
  is one of the catalogue's messages (or fills one of its `{placeholder}` templates, whose values are
  switched too) is put into the new language.
  What people typed (line edits, text boxes, editable combos, table cells) is never touched. A widget
  that composes its texts some other way may offer `retranslate()`, called after the swap.
- Hangul needs a font the clinic PC may lack (and the offscreen platform has none): NanumGothic and
  Droid Sans Fallback are registered at start; in Korean NanumGothic is the UI font.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QAction, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPlainTextEdit,
    QTableWidget,
    QTabWidget,
    QTextEdit,
    QToolBar,
    QTreeWidget,
    QWidget,
)

from dermdesk import i18n
from dermdesk.resources import resource_path

logger = logging.getLogger(__name__)

CATALOGUE_NAME = "dermdesk"
UI_FONTS = ("NanumGothic.ttf", "DroidSansFallbackFull.ttf")

_warned: set[str] = set()


def _warn_once(key: str, message: str, *args: object) -> None:
    if key not in _warned:
        _warned.add(key)
        logger.warning(message, *args)


def translations_dir() -> Path:
    return resource_path("translations")


def resolve_language(choice: str) -> str:
    """The language a settings value means: "system" → the OS language; unknown → English (logged once)."""
    code = (choice or "system").strip().lower()
    if code == "system":
        return i18n.system_language()
    if code not in i18n.SUPPORTED_LANGUAGES:
        _warn_once(f"language:{code}", "Unknown language %r in the settings: English is used", choice)
        return "en"
    return code


# --- fonts ---------------------------------------------------------------------------------------------


@cache
def ui_font_families() -> tuple[str, ...]:
    """Register the bundled Hangul fonts once; their family names (empty when none could be loaded)."""
    families: list[str] = []
    for name in UI_FONTS:
        path = resource_path("fonts", name)
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            _warn_once(f"font:{name}", "The font %s could not be loaded: Hangul may show as boxes", name)
            continue
        families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return tuple(families)


_default_font: QFont | None = None


def install_ui_fonts(app: QApplication, language: str) -> None:
    """In Korean, NanumGothic is the UI font (Latin letters it lacks come from the platform's font); in
    English the platform's font comes back exactly as it was, and Hangul in a name comes from the bundled
    fonts through Qt's font fallback (application fonts take part in it)."""
    global _default_font
    families = ui_font_families()
    if not families:
        return
    if _default_font is None:
        _default_font = QFont(app.font())
    base = _default_font.family()
    if language == "ko":
        font = QFont(_default_font)
        font.setFamilies([families[0], base, *families[1:]])
        app.setFont(font)
    else:
        app.setFont(_default_font)


# --- the catalogue's texts, for swapping what is already on screen -------------------------------------


@dataclass
class Catalogue:
    """English source → text in one language, and back, read from the committed .ts file."""

    forward: dict[str, str] = field(default_factory=dict)
    backward: dict[str, str] = field(default_factory=dict)
    templates: list[tuple[str, str]] = field(default_factory=list)  # (source, translation) with {names}


@cache
def catalogue(language: str) -> Catalogue:
    """The texts of `language` (empty for English, or when the .ts cannot be read: logged once)."""
    result = Catalogue()
    if language == "en":
        return result
    path = translations_dir() / f"{CATALOGUE_NAME}_{language}.ts"
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError) as exc:
        _warn_once(f"ts:{language}", "No readable %s (%s): texts switch at the next start", path.name, exc)
        return result
    for message in root.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None or translation.get("type") in {"unfinished", "vanished", "obsolete"}:
            continue
        text = translation.text or ""
        if not source or not text:
            continue
        result.forward.setdefault(source, text)
        result.backward.setdefault(text, source)
        if "{" in source:
            result.templates.append((source, text))
    return result


_PLACEHOLDER = re.compile(r"\{(\w+)(?:![rsa])?(?::[^{}]*)?\}")


@cache
def _template_pattern(template: str) -> re.Pattern[str] | None:
    """A regex matching texts made from `template`, capturing each placeholder's value; None when the
    template's fixed words are too few to tell its texts from anything else."""
    fixed = _PLACEHOLDER.sub("", template).replace("{{", "{").replace("}}", "}")
    if not re.search(r"[A-Za-z]{3,}|[가-힣]", fixed):
        return None
    parts: list[str] = []
    seen: set[str] = set()
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[position : match.start()].replace("{{", "{").replace("}}", "}")))
        name = match.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        position = match.end()
    parts.append(re.escape(template[position:].replace("{{", "{").replace("}}", "}")))
    return re.compile("".join(parts), re.DOTALL)


def _fill(template: str, values: dict[str, str]) -> str | None:
    try:
        return _PLACEHOLDER.sub(lambda match: "{" + match.group(1) + "}", template).format(**values)
    except (KeyError, IndexError, ValueError):
        return None


def switch_text(text: str, old: str, new: str) -> str:
    """`text` as shown in language `old`, in language `new`; unchanged when it is not a catalogue text
    (a name, a number, what someone typed)."""
    if not text or old == new:
        return text
    known = catalogue(new).forward if old == "en" else catalogue(old).backward
    source = (text if text in known else None) if old == "en" else known.get(text)
    if source is not None:
        return source if new == "en" else catalogue(new).forward.get(source, source)
    old_templates = [(s, s) for s, _ in catalogue(new).templates] if old == "en" else catalogue(old).templates
    for english, shown in old_templates:
        pattern = _template_pattern(shown)
        match = pattern.fullmatch(text) if pattern is not None else None
        if match is None:
            continue
        target = english if new == "en" else catalogue(new).forward.get(english, english)
        values = {name: switch_text(value, old, new) for name, value in match.groupdict().items()}
        filled = _fill(target, values)  # the values too: a sex or a state shown inside a sentence
        if filled is not None:
            return filled
    return text


def _switch_widget(widget: QWidget, old: str, new: str) -> None:
    def swap(get, put) -> None:  # type: ignore[no-untyped-def]
        value = get()
        changed = switch_text(value, old, new)
        if changed != value:
            put(changed)

    if widget.isWindow() or isinstance(widget, QDockWidget | QToolBar):
        swap(widget.windowTitle, widget.setWindowTitle)
    swap(widget.toolTip, widget.setToolTip)
    swap(widget.statusTip, widget.setStatusTip)
    if isinstance(widget, QLabel):
        full_text = getattr(widget, "full_text", None)
        set_full_text = getattr(widget, "set_full_text", None)
        if callable(full_text) and callable(set_full_text):  # an eliding label: swap its whole text
            swap(full_text, set_full_text)
        else:
            swap(widget.text, widget.setText)
    elif isinstance(widget, QAbstractButton):
        swap(widget.text, widget.setText)
    elif isinstance(widget, QGroupBox):
        swap(widget.title, widget.setTitle)
    elif isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        swap(widget.placeholderText, widget.setPlaceholderText)  # never what was typed
    elif isinstance(widget, QComboBox):
        if not widget.isEditable():
            for index in range(widget.count()):
                swap(lambda i=index: widget.itemText(i), lambda t, i=index: widget.setItemText(i, t))
        else:
            line = widget.lineEdit()
            if line is not None:
                swap(line.placeholderText, line.setPlaceholderText)
    elif isinstance(widget, QAbstractSpinBox):
        for getter, setter in (("suffix", "setSuffix"), ("prefix", "setPrefix")):
            if hasattr(widget, getter):
                swap(getattr(widget, getter), getattr(widget, setter))
        swap(widget.specialValueText, widget.setSpecialValueText)
    elif isinstance(widget, QTabWidget):
        for index in range(widget.count()):
            swap(lambda i=index: widget.tabText(i), lambda t, i=index: widget.setTabText(i, t))
    elif isinstance(widget, QListWidget):
        for row in range(widget.count()):
            row_item = widget.item(row)
            swap(row_item.text, row_item.setText)
    elif isinstance(widget, QTableWidget):
        for column in range(widget.columnCount()):
            header_item = widget.horizontalHeaderItem(column)
            if header_item is not None:
                swap(header_item.text, header_item.setText)
    elif isinstance(widget, QTreeWidget):
        header = widget.headerItem()
        for column in range(widget.columnCount()):
            swap(lambda c=column: header.text(c), lambda t, c=column: header.setText(c, t))
    elif isinstance(widget, QMainWindow):
        bar = widget.statusBar()
        message = bar.currentMessage()
        if message:
            changed = switch_text(message, old, new)
            if changed != message:
                bar.showMessage(changed)
    for action in widget.actions():
        _switch_action(action, old, new)


def _switch_action(action: QAction, old: str, new: str) -> None:
    for get, put in ((action.text, action.setText), (action.toolTip, action.setToolTip)):
        value = get()
        changed = switch_text(value, old, new)
        if changed != value:
            put(changed)


def switch_screens(app: QApplication, old: str, new: str) -> int:
    """Put every text on screen from language `old` into `new`; the number of widgets visited."""
    widgets = app.allWidgets()
    for widget in widgets:
        _switch_widget(widget, old, new)
    for widget in widgets:
        retranslate = getattr(widget, "retranslate", None)
        if callable(retranslate):
            retranslate()
    return len(widgets)


# --- installing a language -------------------------------------------------------------------------------


class UiLanguage:
    """The language the window is in, and the translators that make it so (one per process)."""

    def __init__(self) -> None:
        self.language = "en"
        self._translators: list[QTranslator] = []
        self._locale: QLocale | None = None

    def apply(self, choice: str, *, switch_open_screens: bool = False) -> str:
        """Make `choice` ("system", "en", "ko") the language of the window and of the core's messages;
        returns the language in effect ("en" when the Korean file is missing or damaged)."""
        app = QApplication.instance()
        assert isinstance(app, QApplication), "a QApplication must exist first"
        wanted = resolve_language(choice)
        for translator in self._translators:
            app.removeTranslator(translator)
        self._translators = []
        language = "en"
        if wanted != "en":
            translator = QTranslator(app)
            path = translations_dir() / f"{CATALOGUE_NAME}_{wanted}.qm"
            if translator.load(str(path)):
                app.installTranslator(translator)
                self._translators.append(translator)
                language = wanted
                self._install_qt_translations(app, wanted)
            else:
                _warn_once(
                    f"qm:{wanted}", "The translation file %s is missing or damaged: English is shown", path
                )
        i18n.set_language(language)
        if self._locale is None:
            self._locale = QLocale()  # the platform's, given back in English
        QLocale.setDefault(QLocale(QLocale.Language.Korean) if language == "ko" else self._locale)
        install_ui_fonts(app, language)
        old, self.language = self.language, language
        if switch_open_screens and old != language:
            switch_screens(app, old, language)
        logger.info("Window language: %s", language)
        return language

    def _install_qt_translations(self, app: QApplication, language: str) -> None:
        """Qt's own texts (standard buttons, file dialogs), where PySide6 ships them."""
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        translator = QTranslator(app)
        if translator.load(f"qtbase_{language}", folder):
            app.installTranslator(translator)
            self._translators.append(translator)
        else:
            _warn_once(
                f"qtbase:{language}",
                "Qt's own %s texts are not installed: its buttons stay English",
                language,
            )


_ui_language: UiLanguage | None = None


def ui_language() -> UiLanguage:
    """The process's UiLanguage."""
    global _ui_language
    if _ui_language is None:
        _ui_language = UiLanguage()
    return _ui_language
