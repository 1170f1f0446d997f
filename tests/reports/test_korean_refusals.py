"""Reports in Korean (issue 27): a refusal reads Korean on a Korean screen, and a Korean report prints
the stills' disagreeing readings, the stated rule and the model's stored (English) referral rule in
Korean — never an English rule sentence."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from records.helpers import Clock, Team

from dermdesk.i18n import set_language, translations
from dermdesk.i18n.glossary import term
from dermdesk.records import Records
from dermdesk.records.lesion_advice import ADVICE_RULE
from dermdesk.reports import ReportError, referral_letter_data, render_visit_report, visit_report_data
from dermdesk.settings import DermDeskSettings
from reports import pdf
from reports.test_lesion_advice_report import RECORD, seed


@pytest.fixture
def korean_screen() -> Iterator[None]:
    set_language("ko")
    yield
    set_language("en")


def test_a_letter_without_a_recipient_is_refused_in_korean(
    records: Records, team: Team, clock: Clock, settings: DermDeskSettings, korean_screen: None
) -> None:
    seed(records, team, clock)
    with pytest.raises(ReportError) as refused:
        referral_letter_data(records, team.doctor, RECORD, "L1", " , City Skin Clinic", settings)
    assert str(refused.value).startswith("의뢰서를 누구에게 보내는지 입력하십시오.")


def test_a_report_that_cannot_be_found_is_refused_in_korean(
    records: Records, team: Team, clock: Clock, settings: DermDeskSettings, korean_screen: None
) -> None:
    seed(records, team, clock)
    with pytest.raises(Exception) as refused:  # NotFound from the records
        visit_report_data(records, team.doctor, RECORD, 999, settings)
    assert str(refused.value) == f"환자 {RECORD}에게 진료 번호 999이(가) 없습니다."


def test_a_korean_report_prints_the_readings_and_both_rules_in_korean(
    records: Records, team: Team, clock: Clock, settings: DermDeskSettings
) -> None:
    seed(records, team, clock)
    report = visit_report_data(records, team.doctor, RECORD, None, settings, language="ko")
    whole = " ".join(pdf.texts(render_visit_report(report)))
    naevus, keratosis, melanoma = (term(f"diagnosis.{code}", "ko") for code in ("nv", "bkl", "mel"))
    assert f"사진 1: {naevus} 98%, 의뢰 권고 없음" in whole
    assert f"사진 2: {keratosis} 64%, 의뢰 권고" in whole
    rule = translations("ko").gettext(ADVICE_RULE)
    assert rule != ADVICE_RULE and " ".join(rule.split())[:30] in whole
    assert f"{melanoma} 확률 41%이(가) 의뢰 임계값 30%에 이릅니다" in whole  # the model's stored rule
    for english in (
        "reaches its referral threshold",
        "Most cautious referral",
        "advises referral",
        "picture 1",
    ):
        assert english not in whole
