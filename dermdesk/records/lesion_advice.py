"""One lesion, one advice: which still's prediction speaks for the lesion, and by which rule.

A lesion is often photographed under several lights at one visit, and the model may read the stills
differently (a naevus under polarised light, a keratosis under white light; one advising referral,
one not). The station, the diagnosis form and the report must not each quote a different still, so
they all ask `lesion_advice` — one stated rule:

    **Most cautious referral.** If any of the visit's stills advises referral, the lesion's advice is
    referral, quoted from the newest still that advises it; otherwise it is the newest still's advice.
    Every still's own reading is shown beside it, with its light.

Stills left out of reports are not used. Pictures are named by their place in the lesion
("picture 2"), not by database ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from dermdesk.i18n import N_, _, current_language, translations
from dermdesk.i18n.glossary import term_or
from dermdesk.inference.classes import DISPLAY_NAMES
from dermdesk.records.views import ImageInfo, PredictionInfo

ADVICE_RULE = N_(
    "Most cautious referral: if any still advises referral, the lesion's advice is referral, quoted "
    "from the newest still that advises it; otherwise the newest still's advice."
)

READING_REFERS = N_("{light}, picture {number}: {name} {share}, advises referral")
READING_CALM = N_("{light}, picture {number}: {name} {share}, no referral advised")
NO_LIGHT = N_("light not recorded")


@dataclass(frozen=True)
class StillReading:
    """What the model read on one filed still."""

    image: ImageInfo
    prediction: PredictionInfo

    @property
    def top(self) -> str:
        return self.prediction.ranking[0] if self.prediction.ranking else ""

    @property
    def top_share(self) -> float:
        return float(self.prediction.probabilities.get(self.top, 0.0))

    @property
    def refer(self) -> bool:
        return self.prediction.refer

    @property
    def still(self) -> str:
        """ "picture 2 (white polarised light, 2026-11-21)"."""
        return f"picture {self.image.number} ({self.image.light_text}, {self.image.visit_date.isoformat()})"

    @property
    def text(self) -> str:
        """This still's reading in the screen's language (the diagnosis form lists them)."""
        return self.text_in(current_language())

    def text_in(self, language: str) -> str:
        """ "white polarised, picture 2: Melanocytic naevus 81%, no referral advised", in ``language``."""
        words = translations(language).gettext
        if language == "en":
            name, light = DISPLAY_NAMES.get(self.top, self.top), self.image.light_text
        else:
            name = term_or("diagnosis", self.top, language, default=DISPLAY_NAMES.get(self.top, self.top))
            light = (
                term_or("light", self.image.lighting_mode, language, default=self.image.light_text)
                if self.image.lighting_mode
                else words(NO_LIGHT)
            )
        template = words(READING_REFERS if self.refer else READING_CALM)
        return template.format(
            light=light, number=self.image.number, name=name, share=f"{self.top_share:.0%}"
        )


@dataclass(frozen=True)
class LesionAdvice:
    """The lesion's one advice, the still it comes from, and every still's reading."""

    decided_by: StillReading
    readings: tuple[StillReading, ...]

    @property
    def refer(self) -> bool:
        return self.decided_by.refer

    @property
    def disagree(self) -> bool:
        """The stills read differently (another top class or another referral advice)."""
        return len({(r.top, r.refer) for r in self.readings}) > 1

    @property
    def summary(self) -> str:
        """One line to quote: the advice, and the still and light behind it."""
        reading = self.decided_by
        name = term_or("diagnosis", reading.top, default=DISPLAY_NAMES.get(reading.top, reading.top))
        if not reading.image.lighting_mode:
            light = _("light not recorded")
        elif current_language() == "en":
            light = reading.image.light_text  # the stored wording ("white polarised"), as reports quote it
        else:
            light = term_or("light", reading.image.lighting_mode, default=reading.image.light_text)
        still = _("picture {number} ({light}, {day})").format(
            number=reading.image.number, light=light, day=reading.image.visit_date.isoformat()
        )
        template = (
            _("Referral advised — {name} {share}, from {still}")
            if self.refer
            else _("No referral advised — {name} {share}, from {still}")
        )
        text = template.format(name=name, share=f"{reading.top_share:.0%}", still=still)
        if self.disagree:
            text += _(". The stills disagree; rule: {rule}").format(rule=_(ADVICE_RULE))
        return text


def readings_of(images: Iterable[ImageInfo]) -> list[StillReading]:
    """Every still (in reports) with a filed prediction, oldest first."""
    ordered = sorted((i for i in images if i.for_report), key=lambda i: (i.captured_at, i.id))
    return [StillReading(i, i.predictions[-1]) for i in ordered if i.predictions]


def lesion_advice(images: Iterable[ImageInfo], day: date | None = None) -> LesionAdvice | None:
    """The lesion's advice from the stills of ``day`` (default: its newest visit with a prediction)."""
    readings = readings_of(images)
    if day is None and readings:
        day = readings[-1].image.visit_date
    readings = [r for r in readings if r.image.visit_date == day]
    if not readings:
        return None
    referring = [r for r in readings if r.refer]
    decided_by = (referring or readings)[-1]
    return LesionAdvice(decided_by=decided_by, readings=tuple(readings))
