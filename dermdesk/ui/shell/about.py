"""Help ▸ About: what the station is, what it is not, and whose pictures taught its model."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from dermdesk.inference.cpu_isa import ISA_FEATURES, VARIABLE, IsaSetting
from dermdesk.settings import DermDeskSettings
from dermdesk.ui.common.translation_marks import QT_TRANSLATE_NOOP

ABOUT_HTML = QT_TRANSLATE_NOOP(
    "about",
    """
<h3>DermDesk {version}</h3>
<p>A capture station for dermatology clinics: live dermoscopy, stills filed per session, and on-CPU
ranking of likely diagnoses.</p>
<p><b>Decision support, not a diagnosis.</b> The diagnosis is made and confirmed by a doctor.</p>
<p>The lesion classifier and the virtual dermatoscope use the <b>HAM10000</b> dataset
(Tschandl P., Rosendahl C. &amp; Kittler H., <i>The HAM10000 dataset, a large collection of
multi-source dermatoscopic images of common pigmented skin lesions</i>, Sci. Data 5, 180161 (2018)),
licensed <a href="https://creativecommons.org/licenses/by-nc-sa/4.0/">CC BY-NC-SA 4.0</a>:
a model trained on it is for <b>non-commercial use</b> only. The classifier is also trained on
dermoscopy pictures from the <b>ISIC archive</b> (International Skin Imaging Collaboration; Codella et al.,
arXiv:1710.05006; Combalia et al., arXiv:1908.02288), licensed
<a href="https://creativecommons.org/licenses/by-nc/4.0/">CC BY-NC 4.0</a>, also non-commercial.</p>
""",
)


def package_version() -> str:
    try:
        return version("dermdesk")
    except PackageNotFoundError:
        return "(development)"


def model_runtime_html() -> str:
    """Which network this station runs and why (INT8, or FP32 where INT8 differs on this CPU)."""
    from html import escape

    from dermdesk.inference.precision import last_choice

    choice = last_choice()
    if choice is None:
        return QCoreApplication.translate("about", "<p>Model: not loaded yet.</p>")
    precision = choice.precision.upper()
    lines = [
        QCoreApplication.translate(
            "about", "<p>Model {package} runs in <b>{precision}</b>: {reason}."
        ).format(package=escape(choice.package), precision=precision, reason=escape(choice.reason))
    ]
    isa_line = isa_text(choice.isa)
    if isa_line:
        lines.append(f"<br>{escape(isa_line)}.")
    return "".join(lines) + "</p>"


def isa_text(isa: IsaSetting) -> str:
    """What the ONEDNN_MAX_CPU_ISA cap does, in the window's language ("" when it is not set)."""
    words = {
        "unknown": QCoreApplication.translate(
            "about",
            "{variable}={value} is not an instruction set OpenVINO knows (one of {known}); it is ignored and "
            "the model runs on the CPU's own ({native})",
        ),
        "all": QCoreApplication.translate(
            "about", "{variable}=ALL: the model runs on the CPU's own instructions"
        ),
        "above": QCoreApplication.translate(
            "about",
            "{variable}={value} is above what this CPU has ({native}); it is ignored and the model runs on "
            "the CPU's own instructions",
        ),
        "capped": QCoreApplication.translate(
            "about", "{variable}={value}: the model runs as on a CPU limited to {effective}"
        ),
        "unchecked": QCoreApplication.translate(
            "about",
            "{variable}={value}: the model runs as on a CPU limited to {effective} (this CPU's support for "
            "it cannot be checked)",
        ),
    }
    template = words.get(isa.case)
    if template is None:
        return isa.message
    return template.format(
        variable=VARIABLE, value=isa.requested, known=", ".join(ISA_FEATURES), native=isa.native_set,
        effective=isa.effective,
    )  # fmt: skip


def active_model_html(settings: DermDeskSettings | None) -> str:
    """The model in use (verified now) and its card's headline figures; where the full card is."""
    from html import escape

    from dermdesk.i18n import _
    from dermdesk.inference.package import ModelPackageError
    from dermdesk.inference.trust import active_package
    from dermdesk.sync.update_offer import FIGURES, card_figures

    if settings is None:
        return ""
    try:
        package = active_package(settings.model_dir, settings.update_public_key)
    except ModelPackageError as exc:
        return QCoreApplication.translate("about", "<p>Model in use: <b>refused</b> ({reason}).</p>").format(
            reason=escape(str(exc))
        )
    values, count = card_figures(package)
    rows = "".join(
        f"<tr><td>{escape(_(label))}</td><td align='right'>{values[key]:.3f}</td></tr>"
        for key, label in FIGURES
        if key in values
    )
    card = package.root / "model-card.md"
    where = (
        "<br>" + QCoreApplication.translate("about", "Model card: {path}").format(path=escape(str(card)))
        if card.is_file()
        else ""
    )
    from dermdesk.inference.precision import last_choice

    running = last_choice()
    later = ""
    if running is not None and running.package != f"{package.name}-{package.version}":
        later = QCoreApplication.translate(
            "about", " (installed; the live analysis uses it from the next start)"
        )
    heading = QCoreApplication.translate(
        "about", "<p>Model of this station: <b>{name} {version}</b>, signature verified{later}{where}</p>"
    ).format(name=escape(package.name), version=escape(package.version), later=later, where=where)
    source = (
        QCoreApplication.translate("about", "Figures from its card ({count} test pictures).").format(
            count=count
        )
        if count
        else QCoreApplication.translate("about", "Figures from its card.")
    )
    return f"{heading}<table>{rows}</table><p><i>{source}</i></p>"


def about_text(settings: DermDeskSettings | None = None) -> str:
    about = QCoreApplication.translate("about", ABOUT_HTML)
    return about.format(version=package_version()) + active_model_html(settings) + model_runtime_html()


def show_about(parent: QWidget) -> QMessageBox:
    """The About box, window-modal over the station (the live view keeps running behind it)."""
    model = getattr(parent, "model", None)
    settings = getattr(model, "settings", None)
    box = QMessageBox(
        QMessageBox.Icon.Information,
        QCoreApplication.translate("about", "About DermDesk"),
        about_text(settings if isinstance(settings, DermDeskSettings) else None),
        parent=parent,
    )
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
