"""Why the portal will not keep a file: one named exception per rule, each with the
sentence shown to the person who chose the file (in their language)."""

from flask_babel import lazy_ngettext

from portal.translations import lazy_gettext as _l


class UploadRefused(ValueError):
    """A file the portal will not keep; ``message`` says why in the reader's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NotAllowedType(UploadRefused):
    def __init__(self):
        super().__init__(_l("The selected file must be a PDF, JPG, PNG or Word (DOCX) file"))


class DamagedFile(UploadRefused):
    """The bytes claim a type but its parser cannot read them."""

    def __init__(self):
        super().__init__(_l("The selected file could not be opened. It may be damaged."))


class ActiveContent(UploadRefused):
    """Scripts, actions, embedded files or programs, macros, or a second format hidden in
    the same bytes (a polyglot): things a viewer could run (ASVS 5.2.2)."""

    def __init__(self):
        super().__init__(
            _l(
                "The selected file contains scripts, macros or other files inside it. "
                "Save or print it again as a plain PDF, picture or Word document."
            )
        )


class PasswordProtected(UploadRefused):
    def __init__(self):
        super().__init__(
            _l("The selected file is protected with a password. Remove the password and try again.")
        )


class UnpacksTooLarge(UploadRefused):
    """An archive (DOCX) whose contents are far larger than the file: a zip bomb (ASVS 5.2.3)."""

    def __init__(self):
        super().__init__(_l("The selected file is too large once opened"))


class PictureTooLarge(UploadRefused):
    def __init__(self, megapixels: int):
        super().__init__(
            _l(
                "The selected picture must be smaller than %(count)d megapixels",
                count=megapixels,
            )
        )


class VirusFound(UploadRefused):
    def __init__(self, signature: str):
        super().__init__(_l("The selected file contains a virus and cannot be accepted"))
        self.signature = signature


class VirusScanFailed(UploadRefused):
    """The virus scanner is configured but did not give an answer: fail closed."""

    def __init__(self, reason: str):
        super().__init__(_l("The selected file could not be checked for viruses. Try again later."))
        self.reason = reason


class TooManyFiles(UploadRefused):
    """More files than one draft or incident may hold, counting those already kept."""

    def __init__(self, limit: int, room: int):
        if room:
            message = lazy_ngettext(
                "You can add up to %(limit)d files in all. You can add %(num)d more.",
                "You can add up to %(limit)d files in all. You can add %(num)d more.",
                room,
                limit=limit,
            )
        else:
            message = _l(
                "You have already added %(limit)d files, which is the most you can add",
                limit=limit,
            )
        super().__init__(message)


class FilesTooLarge(UploadRefused):
    """More bytes than one draft or incident may hold, counting those already kept."""

    def __init__(self, limit_mb: int):
        super().__init__(_l("Your files must be smaller than %(size)d MB in all", size=limit_mb))
