"""The one refusal convention (issue 12): every rule a service enforces is its own
exception class, named for the rule, citing the policy section it comes from, with the
translated message a person sees. Views decide which form field shows it."""


class Refusal(Exception):
    """A rule refused an action. ``section`` names the policy section (e.g. "s3.5")."""

    section: str = ""
    default_message: object = None  # each rule says its own

    def __init__(self, message=None):
        self.message = self.default_message if message is None else message
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)
