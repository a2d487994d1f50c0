"""How to reach the landlord and the Housing Ombudsman (s3.4), read from configuration —
the one home of these facts — for pages, letters and emails."""

from dataclasses import dataclass

from flask import current_app


@dataclass(frozen=True)
class Ombudsman:
    form_url: str
    email: str
    phone: str
    address: tuple[str, ...]

    @property
    def postal_address(self) -> str:
        return ", ".join(self.address)


def landlord_phone() -> str:
    return current_app.config["LANDLORD_PHONE"]


def landlord_email() -> str:
    return current_app.config["LANDLORD_EMAIL"]


def ombudsman() -> Ombudsman:
    config = current_app.config
    return Ombudsman(
        form_url=config["OMBUDSMAN_FORM_URL"],
        email=config["OMBUDSMAN_EMAIL"],
        phone=config["OMBUDSMAN_PHONE"],
        address=tuple(config["OMBUDSMAN_ADDRESS"]),
    )
