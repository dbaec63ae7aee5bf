"""The CJK font for certificates: WenQuanYi Micro Hei shipped in resources/fonts.

reportlab's built-in ``STSong-Light`` is not embedded (blank in viewers without
CJK fonts) and Noto CJK's CFF outlines are rejected, so we register the TTC's
first face; reportlab embeds only the glyphs used.
"""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.paths import resources_dir

FONT_NAME = "WQYMicroHei"
FONT_PATH = resources_dir() / "fonts" / "wqy-microhei.ttc"
_lock = threading.Lock()


class FontMissing(RuntimeError):
    """The certificate font file is not where the program expects it."""


def register_cjk_font() -> str:
    """Register the font once per process (thread-safe) and return its reportlab name."""
    with _lock:
        if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
            if not FONT_PATH.is_file():
                raise FontMissing(f"找不到验收单字体文件：{FONT_PATH}，请重新安装程序")
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH), subfontIndex=0))
    return FONT_NAME
