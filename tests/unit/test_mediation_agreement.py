"""The people's mediation agreement (人民调解协议书) written as DOCX from the ledger, read
back with python-docx: parties with roles, facts, terms, performance, signatures."""

from __future__ import annotations

import dataclasses
import json
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from sqlmodel import col, select

from policeroom import i18n
from policeroom.clock import Clock
from policeroom.db import Database
from policeroom.models.audit import AuditAction, AuditLog
from policeroom.models.disputes import (
    DisputeCategory,
    DisputeStatus,
    MediationCreate,
    MediationMethod,
    MediationResult,
    MediationSession,
    PartyInput,
    PartyRole,
    StatusMove,
)
from policeroom.services.core.errors import TransitionError, ValidationError
from policeroom.services.disputes import agreement, ledger, mediation
from policeroom.services.disputes import entries as disputes
from tests.unit.dispute_world import DisputeWorld, build_dispute_world

TERMS = "一、张某自2022年5月起每月5日前支付抚养费1500元；二、张某于6月30日前补付拖欠的4500元。"


@pytest.fixture
def world(db: Database, clock: Clock) -> DisputeWorld:
    return build_dispute_world(db, clock)


@pytest.fixture
def chinese() -> Iterator[None]:
    i18n.set_language("zh")
    try:
        yield
    finally:
        i18n.set_language("en")


def _agreed(world: DisputeWorld) -> int:
    """刘某 (applicant) and 张某 (respondent) over their son 张小明's support, agreed on
    2022-05-01 and resolved, so the follow-ups are planned."""
    ctx = world.ctx
    saved = world.register(
        category=DisputeCategory.MARRIAGE_FAMILY,
        description="离婚后张某拖欠孩子抚养费，双方多次争吵",
        parties=[
            PartyInput(resident_id=world.zhang, role=PartyRole.RESPONDENT),
            PartyInput(resident_id=world.liu, role=PartyRole.APPLICANT),
            PartyInput(resident_id=world.child, role=PartyRole.CHILD),
        ],
        reported_on=date(2022, 4, 28),
    )
    mediation.record(
        ctx,
        saved.id,
        MediationCreate(
            held_on=date(2022, 5, 1),
            place="光明路社区警务室",
            method=MediationMethod.NEGOTIATION,
            mediators="王建国、李少卿",
            result=MediationResult.AGREEMENT,
            agreement=TERMS,
        ),
    )
    disputes.move(
        ctx,
        saved.id,
        StatusMove(to_status=DisputeStatus.RESOLVED, reason="达成调解协议", on=date(2022, 5, 1)),
        ledger.card(ctx, saved.id).version,
    )
    return saved.id


def _text(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    document = Document(str(path))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
    ]
    return paragraphs, tables


def test_the_english_agreement_names_parties_terms_and_signatures(
    world: DisputeWorld, tmp_path: Path
) -> None:
    dispute_id = _agreed(world)
    target = tmp_path / "agreement.docx"
    written = agreement.write(world.ctx, dispute_id, target)
    assert written.path == target and stat.S_IMODE(target.stat().st_mode) == 0o600
    paragraphs, (parties, signatures) = _text(target)
    assert paragraphs[0] == "People's Mediation Agreement"
    assert paragraphs[1].startswith("No. JF-2022-")
    # Applicant first, then the respondent, then the child concerned, as agreements list them.
    assert parties == [
        ["Role", "Name", "Gender", "Address"],
        ["Applicant", "刘某", "female", ""],
        ["Respondent", "张某", "male", ""],
        ["Child concerned", "张小明", "male", ""],
    ]
    assert "离婚后张某拖欠孩子抚养费，双方多次争吵" in paragraphs
    # Each term its own paragraph.
    assert "一、张某自2022年5月起每月5日前支付抚养费1500元；" in paragraphs
    assert "二、张某于6月30日前补付拖欠的4500元。" in paragraphs
    assert any("1 May 2022 at 光明路社区警务室" in p for p in paragraphs)
    # Performance: the follow-ups still to do; copies: two parties sign, plus the mediators.
    assert any(p.startswith("王建国 will visit the parties on 8 May 2022") for p in paragraphs)
    assert any("made in 3 copies" in p for p in paragraphs)
    assert signatures == [
        ["Signed as", "Name", "Signature and date"],
        ["Applicant", "刘某", "Date: ____________"],
        ["Respondent", "张某", "Date: ____________"],
        ["Mediator", "王建国", "Date: ____________"],
        ["Mediator", "李少卿", "Date: ____________"],
    ]

    # The mediation record points at the document, and the export is audited.
    card = ledger.card(world.ctx, dispute_id)
    assert card.sessions[-1].document_name == "agreement.docx"
    assert card.sessions[-1].document_at == world.ctx.clock.now()
    with world.ctx.read() as session:
        logged = session.exec(
            select(AuditLog)
            .where(col(AuditLog.table_name) == "mediation_agreement")
            .where(col(AuditLog.action) == AuditAction.EXPORT)
        ).one()
    assert json.loads(logged.after or "{}")["to"] == str(target.resolve())
    assert logged.record_id == written.mediation_id
    # The paper ledger's mediation column names the document.
    rows = list(ledger.ledger_rows(world.ctx, ledger.DisputeQuery()))
    assert "agreement document agreement.docx" in rows[-1][9]


def test_the_chinese_layout(world: DisputeWorld, tmp_path: Path, chinese: None) -> None:
    dispute_id = _agreed(world)
    target = tmp_path / agreement.default_name("JF-2022-0001")
    assert target.name == "人民调解协议书-JF-2022-0001.docx"
    agreement.write(world.ctx, dispute_id, target)
    paragraphs, (parties, signatures) = _text(target)
    assert paragraphs[0] == "人民调解协议书"
    assert parties[0] == ["身份", "姓名", "性别", "住址"]
    assert [row[:2] for row in parties[1:]] == [
        ["申请人", "刘某"],
        ["被申请人", "张某"],
        ["涉及子女", "张小明"],
    ]
    assert any("2022年5月1日" in p and "光明路社区警务室" in p for p in paragraphs)
    assert any("一式3份" in p for p in paragraphs)
    assert signatures[1][:2] == ["申请人", "刘某"] and signatures[-1][:2] == ["调解员", "李少卿"]
    run = Document(str(target)).paragraphs[0].runs[0]
    assert (
        run._element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        == "宋体"
    )


def test_refused_without_agreement_or_outside_the_export_folder(
    world: DisputeWorld, tmp_path: Path
) -> None:
    open_one = world.register()
    with pytest.raises(TransitionError, match="no mediation of this dispute reached"):
        agreement.write(world.ctx, open_one.id, tmp_path / "a.docx")
    dispute_id = _agreed(world)
    with pytest.raises(ValidationError, match="there is no folder"):
        agreement.write(world.ctx, dispute_id, tmp_path / "missing" / "a.docx")
    folder = tmp_path / "exports"
    folder.mkdir()
    remote = dataclasses.replace(world.ctx, export_dir=folder)
    with pytest.raises(ValidationError, match="only a file name"):
        agreement.write(remote, dispute_id, tmp_path / "elsewhere.docx")
    assert list(tmp_path.glob("*.docx")) == []
    with world.ctx.read() as session:
        names = session.exec(select(MediationSession.document_name)).all()
    assert names == [""]
    written = agreement.write(remote, dispute_id, Path("协议.docx"))
    assert written.path == folder / "协议.docx" and written.path.is_file()
