"""`make run` names the missing Qt system libraries and the exact apt-get line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from wardrobe_app.ui import qt_libs

LDD_OUTPUT = """\
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxkbcommon-x11.so.0 => not found
"""


def test_missing_libraries_are_read_from_ldd_and_named_as_packages(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "plugins" / "platforms").mkdir(parents=True)
    (tmp_path / "plugins" / "platforms" / "libqxcb.so").write_bytes(b"")
    monkeypatch.setattr(qt_libs.shutil, "which", lambda _name: "/usr/bin/ldd")
    monkeypatch.setattr(
        qt_libs.subprocess,
        "run",
        lambda args, **_k: subprocess.CompletedProcess(args, 0, stdout=LDD_OUTPUT),
    )
    missing = qt_libs.missing_libraries(tmp_path)
    assert missing == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxkbcommon-x11.so.0"]
    assert qt_libs.install_command(missing) == (
        "sudo apt-get install -y libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0"
    )


def test_nothing_missing_means_nothing_said(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(qt_libs, "missing_libraries", lambda: [])
    assert qt_libs.main() == 0
    assert capsys.readouterr().err == ""


def test_the_message_carries_the_install_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(qt_libs.sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)  # the tests run offscreen; an app on X11 would not
    monkeypatch.setattr(qt_libs, "missing_libraries", lambda: ["libxcb-cursor.so.0"])
    assert qt_libs.main() == 1
    assert "sudo apt-get install -y libxcb-cursor0" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("platform", "needed"),
    [("", True), ("xcb", True), ("wayland;xcb", True), ("offscreen", False), ("wayland", False), ("minimal", False)],
)
def test_the_check_applies_only_when_qt_will_use_xcb(platform: str, needed: bool) -> None:
    assert qt_libs.needs_xcb({"QT_QPA_PLATFORM": platform} if platform else {}) is needed


def test_an_offscreen_run_is_not_stopped_by_missing_x11_libraries(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(qt_libs.sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(qt_libs, "missing_libraries", lambda: ["libxcb-icccm.so.4"])
    assert qt_libs.main() == 0
    assert capsys.readouterr().err == ""
    monkeypatch.delenv("QT_QPA_PLATFORM")
    assert qt_libs.main() == 1
    assert "libxcb-icccm4" in capsys.readouterr().err
