"""Draw the HomeVisit icon (a white house with a heart on a blue rounded square).

Run ``python build/make_icon.py`` to regenerate ``resources/icons/homevisit.png``
(256 px) and ``resources/icons/homevisit.ico`` (16–256 px). The icon is drawn
at 4x and scaled down so edges stay smooth at every size.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
ICON_DIR = ROOT / "resources" / "icons"
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
BLUE = (31, 111, 178, 255)  # the navigation highlight colour of the main window
WHITE = (255, 255, 255, 255)
RED = (226, 74, 74, 255)


def _heart(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill: tuple[int, ...]) -> None:
    """A heart of half-width ``2r`` centred at (cx, cy): two circles and a triangle."""
    d.ellipse([cx - 2 * r, cy - r, cx, cy + r], fill=fill)
    d.ellipse([cx, cy - r, cx + 2 * r, cy + r], fill=fill)
    # The quad's top vertex at the centre closes the slit where the two circles meet.
    d.polygon(
        [(cx - 1.93 * r, cy + 0.45 * r), (cx, cy), (cx + 1.93 * r, cy + 0.45 * r), (cx, cy + 2.4 * r)],
        fill=fill,
    )


def draw_icon(size: int = 256) -> Image.Image:
    """The icon as an RGBA image of ``size`` pixels."""
    s = size * 4
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle([0, 0, s - 1, s - 1], radius=s * 0.2, fill=BLUE)
    # House: roof triangle, body, with a heart in the door's place.
    roof = [(s * 0.5, s * 0.16), (s * 0.86, s * 0.48), (s * 0.14, s * 0.48)]
    d.polygon(roof, fill=WHITE)
    d.rectangle([s * 0.24, s * 0.46, s * 0.76, s * 0.84], fill=WHITE)
    d.rectangle([s * 0.66, s * 0.22, s * 0.74, s * 0.38], fill=WHITE)  # chimney
    _heart(d, s * 0.5, s * 0.58, s * 0.075, RED)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def write_icons(folder: Path = ICON_DIR) -> tuple[Path, Path]:
    """Write ``homevisit.png`` and ``homevisit.ico`` into ``folder``; return both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    big = draw_icon(256)
    png = folder / "homevisit.png"
    ico = folder / "homevisit.ico"
    big.save(png, "PNG", optimize=True)
    big.save(ico, "ICO", sizes=ICO_SIZES)
    return png, ico


if __name__ == "__main__":
    for path in write_icons():
        print(path)
    sys.exit(0)
