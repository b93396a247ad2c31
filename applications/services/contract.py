"""The electronic supply-use contract: generated as a PDF with the Chinese text (a CJK font is
embedded when the system has one), shown to the applicant, signed with an SMS code. The
signature keeps who, when, from which address and the SHA-256 of the exact PDF bytes, so the
downloaded file can be checked against it later."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.codes import CodeError, TooSoon, sms_code_check, sms_code_send
from portal.errors import DomainError, NotPermitted, TooManyRequests, WrongState
from portal.pdf import pdf_document

from ..models import Application, State, SupplyContract
from ..registry import kind_spec

PURPOSE = "contract"


class ContractError(DomainError):
    """Refused for a reason the user can fix; `field` names the input it concerns."""

    def __init__(self, message: str, field: str = "sms_code") -> None:
        super().__init__(message, field=field)


def account_number_for(application: Application) -> str:
    """The account a contract is for: the number of an account the application opens (a new
    connection, a temporary supply) is fixed from its county and id (the account row is made
    at power-on with the same number)."""
    if kind_spec(application.kind).new_account:
        return f"{application.supply_county_id}{application.pk:08d}"
    return application.account.number if application.account_id else ""


def _lines(application: Application, account: str) -> list[str]:
    added = kind_spec(application.kind).contract_lines
    with translation.override("zh-hans"):
        return [
            "供用电合同（低压/高压居民及非居民用户）",
            f"合同编号：HT-{application.number}",
            f"供电人：国网山东省电力公司{application.supply_county.name}供电公司",
            f"用电人：{application.applicant_name}",
            f"用电户号：{account}",
            f"用电地址：{application.registry_address}",
            f"用电容量：{application.capacity_kva or ''} 千伏安；电压等级："
            f"{application.get_voltage_display()}",
            "一、供电人按国家规定的供电质量标准向用电人供电，用电人按国家核准的电价和用电计量"
            "装置的记录按期交付电费。",
            "二、供电设施产权分界点为用电人进户线与供电人接户线的连接处，双方各自负责产权范围内"
            "设施的运行维护与安全。",
            "三、因检修需要停电时，供电人应按规定提前公告或通知用电人。",
            *(added(application) if added is not None else []),
            "四、本合同自双方签署之日起生效，有效期五年；期满双方均未提出异议的，继续有效。",
            "本合同以电子方式签署，用电人通过短信验证码确认签署，与书面签字具有同等效力。",
        ]


def contract_pdf(application: Application, *, at: datetime) -> bytes:
    account = account_number_for(application)
    return pdf_document(
        title=f"HT-{application.number}",
        lines=_lines(application, account),
        at=at,
    )


def contract_prepare(*, application: Application) -> SupplyContract:
    """The contract for an application waiting for its signature, made once: the applicant is
    always shown, and signs, the same bytes."""
    if application.state != State.CONTRACT_PENDING and not hasattr(application, "contract"):
        raise WrongState(
            _("The contract is offered once the works are ready."), state=application.state
        )
    existing = SupplyContract.objects.filter(application=application).first()
    if existing is not None:
        return existing
    now = timezone.now()
    data = contract_pdf(application, at=now)
    contract, _created = SupplyContract.objects.get_or_create(
        application=application,
        defaults={
            "account_number": account_number_for(application),
            "pdf": data,
            "sha256": hashlib.sha256(data).hexdigest(),
            "generated_at": now,
        },
    )
    return contract


def _with_code(application: Application, actor, code_call, **arguments) -> None:
    """The applicant's contract, ready; then send or check its SMS code (a refusal by the code
    service is answered as the code field's error)."""
    if actor.pk != application.applicant_id:
        raise NotPermitted(_("Only the applicant signs the contract."), application=application)
    if application.state != State.CONTRACT_PENDING:  # signed, or moved on: no code to send
        raise WrongState(
            _("The contract is signed while it waits for its signature."),
            state=application.state,
        )
    contract_prepare(application=application)
    try:
        code_call(phone=application.phone, purpose=f"{PURPOSE}:{application.pk}", **arguments)
    except TooSoon as error:
        raise TooManyRequests(
            str(error), retry_after=error.wait_seconds, field="sms_code"
        ) from error
    except CodeError as error:
        raise ContractError(str(error)) from error


def contract_send_code(*, application: Application, actor) -> None:
    text = _("Code %%(code)s signs the supply contract of %(number)s (10 minutes).") % {
        "number": application.number
    }
    _with_code(application, actor, sms_code_send, text=text)


def contract_code_check(*, application: Application, actor, payload: dict) -> None:
    """Before the signing step's transaction, once the transition service found role and state
    right: the code is checked (a wrong try is counted even though the step then fails)."""
    _with_code(application, actor, sms_code_check, code=payload.get("sms_code") or "")


def contract_record_signature(*, application: Application, actor, address: str | None) -> None:
    """In `sign_contract`'s transaction: who signed the stored PDF, when, from where."""
    SupplyContract.objects.filter(application=application, signed_at=None).update(
        signed_by=actor, signed_at=timezone.now(), signed_from=address
    )


def contract_verify(data: bytes) -> SupplyContract | None:
    """The signed contract these exact bytes are, if any."""
    digest = hashlib.sha256(data).hexdigest()
    return (
        SupplyContract.objects.filter(sha256=digest, signed_at__isnull=False)
        .select_related("application")
        .first()
    )
