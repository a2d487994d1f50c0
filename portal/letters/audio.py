"""Audio letters: the plain text spoken by espeak-ng and compressed by lame to an MP3 a
phone can play (mono, 64 kbps constant bit rate), with an ID3 title (issue 7, item 4).

Both tools come from Debian (``make letter-deps``). They run with argument lists, text on
stdin and a timeout; espeak-ng always writes to stdout, never to the sound card.
"""

import struct

from portal.jobs import idle_child
from portal.letters.external_programs import run_tool

# espeak-ng 1.51 voices by portal language (FRONTEND.md §5). Somali has none: the letter
# page says so and offers the English audio instead.
VOICES = {
    "en": "en-gb",
    "cy": "cy",
    "pl": "pl",
    "ar": "ar",
    "ro": "ro",
    "pt": "pt",
    "es": "es",
    "ur": "ur",
    "bn": "bn",
    "pa": "pa",
    "so": None,
    "uk": "uk",
}
WORDS_PER_MINUTE = "150"  # a little slower than espeak-ng's 175, for a letter
TIMEOUT_SECONDS = 120


class AudioUnavailable(Exception):
    """No voice speaks this language."""


def voice_for(locale: str) -> str | None:
    return VOICES.get(locale)


def speak(text: str, locale: str) -> bytes:
    """The text as a WAV file, in the voice for the language."""
    voice = voice_for(locale)
    if voice is None:
        raise AudioUnavailable(locale)
    return run_tool(
        "espeak-ng",
        "-v",
        voice,
        "-s",
        WORDS_PER_MINUTE,
        "--stdout",
        "--stdin",
        stdin=text.encode("utf-8"),
        timeout=TIMEOUT_SECONDS,
    )


def encode_mp3(wav: bytes) -> bytes:
    return run_tool(
        "lame",
        "--quiet",
        "-m",
        "m",
        "-b",
        "64",
        "--cbr",
        "-",
        "-",
        stdin=wav,
        timeout=TIMEOUT_SECONDS,
    )


def _text_frame(frame_id: str, value: str) -> bytes:
    # Encoding 1 is UTF-16 with a byte order mark: ID3v2.3 has no UTF-8, and Welsh, Polish
    # and Arabic titles need more than Latin-1.
    body = b"\x01" + value.encode("utf-16")
    return frame_id.encode("ascii") + struct.pack(">I", len(body)) + b"\x00\x00" + body


def id3_tag(title: str, artist: str) -> bytes:
    """An ID3v2.3 tag with a title and an artist, the version phones read most widely."""
    frames = _text_frame("TIT2", title) + _text_frame("TPE1", artist)
    size = len(frames)
    synchsafe = bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))
    return b"ID3\x03\x00\x00" + synchsafe + frames


def render_mp3(text: str, locale: str, *, title: str, artist: str) -> bytes:
    """The letter spoken, as an MP3. In a job worker the voice and the encoder run in its
    idle-class child (portal.jobs.idle_child), as PDF layout does."""
    return idle_child.run(_spoken_mp3, text, locale, title=title, artist=artist)


def _spoken_mp3(text: str, locale: str, *, title: str, artist: str) -> bytes:
    return id3_tag(title, artist) + encode_mp3(speak(text, locale))
