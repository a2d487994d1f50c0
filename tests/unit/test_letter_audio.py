"""Audio letters (issue 7, item 4): a voice for each language where espeak-ng has one, and
an MP3 with an ID3 title a phone can show."""

import struct
import subprocess

import pytest

from portal.letters import audio

ALL_LOCALES = {"en", "cy", "pl", "ar", "ro", "pt", "es", "ur", "bn", "pa", "so", "uk"}


def test_every_language_has_a_voice_except_somali():
    assert set(audio.VOICES) == ALL_LOCALES
    assert [code for code, voice in audio.VOICES.items() if voice is None] == ["so"]
    assert audio.voice_for("en") == "en-gb"  # British English, not espeak-ng's default
    assert audio.voice_for("xx") is None


@pytest.mark.parametrize("locale", sorted(ALL_LOCALES - {"so"}))
def test_each_voice_exists_in_espeak_ng(locale):
    wav = audio.speak("1 2 3", locale)
    assert wav[:4] == b"RIFF" and wav[8:12] == b"WAVE" and len(wav) > 10_000


def test_somali_has_no_voice_in_espeak_ng_so_it_is_not_offered():
    refused = subprocess.run(
        ["espeak-ng", "-v", "so", "--stdout", "test"], capture_output=True, timeout=30
    )
    assert b"does not exist" in refused.stderr
    with pytest.raises(audio.AudioUnavailable):
        audio.speak("Haye", "so")


def _frames(tag: bytes) -> dict[str, str]:
    assert tag[:3] == b"ID3" and tag[3] == 3
    size = sum(b << shift for b, shift in zip(tag[6:10], (21, 14, 7, 0), strict=True))
    body, found = tag[10 : 10 + size], {}
    while body[:4].strip(b"\0"):
        frame_id, length = body[:4].decode(), struct.unpack(">I", body[4:8])[0]
        data = body[10 : 10 + length]
        assert data[0] == 1  # UTF-16 with a byte order mark
        found[frame_id] = data[1:].decode("utf-16")
        body = body[10 + length :]
    return found


def test_the_id3_tag_carries_a_title_in_any_script():
    tag = audio.id3_tag("رسالة – L-2026-00001", "Alliance Homes")
    assert _frames(tag) == {"TIT2": "رسالة – L-2026-00001", "TPE1": "Alliance Homes"}
